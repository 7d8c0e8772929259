// A small typed client for the reading app. It calls the Bascule gateway with the app's client key
// and the student's id, and, for speech, falls back to the browser's own voice whenever the gateway
// says so (the Web Speech directive) or cannot serve the request at all.
import type {
  ChatCompletionRequest,
  ChatCompletionResponse,
  HandwritingResponse,
  ReadingCheckResponse,
  SatisfactionAccepted,
  TranscriptionResponse,
  TranscriptionVerboseResponse,
  WebSpeechDirective,
} from '@bascule/contracts';
import { BasculeError, BasculeNetworkError, errorFromResponse } from './errors.ts';
import { playAudio, speakInBrowser, type SpeechSynthesisLike } from './speech.ts';

export interface BasculeClientOptions {
  /** The gateway's origin, e.g. `https://api.example.fr` (paths `/v1/...` are appended). */
  baseUrl: string;
  clientKey: string;
  /** Sent as `X-Student-Id`; the gateway keeps only a keyed hash of it. */
  studentId: string;
  /** Per request; past it the request is abandoned. Default 10 s. */
  timeoutMs?: number;
  /**
   * For `speak()`: past it the browser speaks instead. Default 3 s: the gateway's own tts deadline is 2 s, and a
   * child waiting in silence for a word is worse than hearing the browser's voice.
   */
  speechTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Defaults to `globalThis.speechSynthesis` when the browser has it. */
  speechSynthesis?: SpeechSynthesisLike;
  /** Voice asked of the gateway; `default` lets the gateway use its configured voice. */
  voice?: string;
}

export interface SpeakOptions {
  voice?: string;
  /** 1 is normal speed; the gateway accepts 0.25..4. */
  speed?: number;
}

/** How a `speak()` reached the child, and a promise that settles when it has been said. */
export type SpeakResult =
  | { via: 'audio'; provider: string | null; route: string | null; finished: Promise<void> }
  | { via: 'web-speech'; reason: 'directive' | 'gateway-unavailable' | 'playback-failed'; finished: Promise<void> };

export interface TranscribeOptions {
  language?: string;
  responseFormat?: 'json' | 'verbose_json';
}

export interface BasculeClient {
  chat(request: Omit<ChatCompletionRequest, 'stream' | 'stream_options'>): Promise<ChatCompletionResponse>;
  transcribe(audio: Blob, options?: TranscribeOptions): Promise<TranscriptionResponse | TranscriptionVerboseResponse>;
  speak(text: string, options?: SpeakOptions): Promise<SpeakResult>;
  checkReading(audio: Blob, expected: string, options?: { language?: string }): Promise<ReadingCheckResponse>;
  recognizeHandwriting(image: Blob, target: string): Promise<HandwritingResponse>;
  /**
   * The student's (or, with `rater: 'teacher'`, the teacher's) rating of a component, a whole number 0..10,
   * e.g. after an exercise. The gateway limits it to a few a minute per student and component (429).
   */
  rate(component: 'llm' | 'stt' | 'tts' | 'vision', score: number, rater?: 'student' | 'teacher'): Promise<SatisfactionAccepted>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SPEECH_TIMEOUT_MS = 3_000;
/** Statuses where the gateway could not serve speech; the browser's voice is better than silence. */
const SPEECH_FALLBACK_STATUSES = new Set([429, 500, 502, 503, 504]);

function fileName(blob: Blob, fallback: string): string {
  return blob instanceof File && blob.name ? blob.name : fallback;
}

export function createBasculeClient(options: BasculeClientOptions): BasculeClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const speechTimeoutMs = options.speechTimeoutMs ?? DEFAULT_SPEECH_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const synthesis = (): SpeechSynthesisLike | undefined => options.speechSynthesis ?? globalThis.speechSynthesis;

  /** Sends one request; answers the Response when 2xx, throws BasculeError / BasculeNetworkError otherwise. */
  async function send(path: string, init: { body: BodyInit; json?: boolean; timeoutMs?: number }): Promise<Response> {
    const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
    const headers: Record<string, string> = { authorization: `Bearer ${options.clientKey}`, 'x-student-id': options.studentId };
    if (init.json) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { method: 'POST', headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw timedOut
        ? new BasculeNetworkError('timeout', `no answer from the gateway within ${timeoutMs} ms`, { cause: error })
        : new BasculeNetworkError('unreachable', `the gateway at ${baseUrl} cannot be reached`, { cause: error });
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async function sendJson<T>(path: string, body: unknown): Promise<T> {
    const response = await send(path, { body: JSON.stringify(body), json: true });
    return (await response.json()) as T;
  }

  async function sendForm<T>(path: string, form: FormData): Promise<T> {
    const response = await send(path, { body: form });
    return (await response.json()) as T;
  }

  function speakLocally(text: string, reason: 'gateway-unavailable' | 'playback-failed', cause: unknown): SpeakResult {
    const local = synthesis();
    if (!local) throw cause;
    return { via: 'web-speech', reason, finished: speakInBrowser(local, { text, lang: 'fr-FR', rate: 1 }) };
  }

  async function speak(text: string, speakOptions: SpeakOptions = {}): Promise<SpeakResult> {
    const body = { input: text, voice: speakOptions.voice ?? options.voice ?? 'default', response_format: 'wav', ...(speakOptions.speed ? { speed: speakOptions.speed } : {}) };
    let response: Response;
    try {
      response = await send('/v1/audio/speech', { body: JSON.stringify(body), json: true, timeoutMs: speechTimeoutMs });
    } catch (error) {
      const unavailable = error instanceof BasculeNetworkError || (error instanceof BasculeError && SPEECH_FALLBACK_STATUSES.has(error.status));
      if (!unavailable) throw error;
      return speakLocally(text, 'gateway-unavailable', error);
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.startsWith('application/json')) {
      const directive = (await response.json()) as WebSpeechDirective;
      const local = synthesis();
      if (directive.provider !== 'web-speech' || !local) {
        throw new BasculeError(response.status, 'unexpected_response', local ? 'expected a Web Speech directive' : 'this browser has no speechSynthesis');
      }
      const speech = { text: directive.text, lang: directive.lang, rate: directive.rate, ...(directive.voice ? { voice: directive.voice } : {}) };
      return { via: 'web-speech', reason: 'directive', finished: speakInBrowser(local, speech) };
    }
    const wav = await response.blob();
    try {
      const { finished } = await playAudio(wav);
      return { via: 'audio', provider: response.headers.get('x-bascule-provider'), route: response.headers.get('x-bascule-route'), finished };
    } catch (error) {
      return speakLocally(text, 'playback-failed', error);
    }
  }

  return {
    chat: (request) => sendJson<ChatCompletionResponse>('/v1/chat/completions', { ...request, stream: false }),
    transcribe(audio, transcribeOptions = {}) {
      const form = new FormData();
      form.append('file', audio, fileName(audio, 'audio.wav'));
      form.append('language', transcribeOptions.language ?? 'fr');
      form.append('response_format', transcribeOptions.responseFormat ?? 'json');
      return sendForm('/v1/audio/transcriptions', form);
    },
    speak,
    checkReading(audio, expected, checkOptions = {}) {
      const form = new FormData();
      form.append('audio', audio, fileName(audio, 'reading.wav'));
      form.append('expected', expected);
      form.append('language', checkOptions.language ?? 'fr');
      return sendForm('/v1/reading/check', form);
    },
    rate: (component, score, rater = 'student') => sendJson<SatisfactionAccepted>('/v1/satisfaction', { component, score, rater }),
    recognizeHandwriting(image, target) {
      const form = new FormData();
      form.append('image', image, fileName(image, 'letter.png'));
      form.append('target', target);
      return sendForm('/v1/vision/handwriting', form);
    },
  };
}
