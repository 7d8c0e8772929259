// The client in a real headless Chromium, against a fake gateway on loopback. One browser for the file.
// Headless Chromium has no voices, so window.speechSynthesis is replaced (addInitScript) by a recorder;
// HTMLMediaElement.play is wrapped to record what was played, and still plays it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import {
  ChatCompletionRequestSchema,
  ChatCompletionResponseSchema,
  ErrorBodySchema,
  HandwritingFieldsSchema,
  HandwritingResponseSchema,
  ReadingCheckFieldsSchema,
  ReadingCheckResponseSchema,
  SatisfactionAcceptedSchema,
  SatisfactionRequestSchema,
  SpeechRequestSchema,
  TranscriptionFieldsSchema,
  TranscriptionResponseSchema,
  WebSpeechDirectiveSchema,
} from '@bascule/contracts';
import { CANNED, ERRORS, WAV, closedOrigin, directiveFor, startFakeGateway, type FakeGateway, type RecordedRequest } from './fake-gateway.ts';

interface Spoken {
  text: string;
  lang: string;
  rate: number;
  voice: string | null;
}
interface Played {
  src: string;
  bytes: number;
  outcome: string;
}
/** What the page exposes: the bundle's global and the recorders of the init script. */
interface PageGlobals {
  Bascule: typeof import('../src/index.ts');
  spoken: Spoken[];
  played: Played[];
}

function installRecorders(): void {
  const page = globalThis as unknown as PageGlobals & typeof globalThis;
  page.spoken = [];
  page.played = [];
  const recorder = {
    speak(utterance: SpeechSynthesisUtterance) {
      page.spoken.push({ text: utterance.text, lang: utterance.lang, rate: utterance.rate, voice: utterance.voice?.name ?? null });
      setTimeout(() => utterance.onend?.(new Event('end') as SpeechSynthesisEvent), 0);
    },
    getVoices: (): SpeechSynthesisVoice[] => [], // like headless Chromium: no installed voices
    cancel() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: recorder, configurable: true });
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = async function recordedPlay(this: HTMLMediaElement) {
    const entry: Played = { src: this.src, bytes: (await (await fetch(this.src)).arrayBuffer()).byteLength, outcome: 'pending' };
    page.played.push(entry);
    try {
      await play.call(this);
      entry.outcome = 'playing';
    } catch (error) {
      entry.outcome = (error as Error).name;
      throw error;
    }
  };
}

let browser: Browser;
let gateway: FakeGateway;
let page: Page;

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'Bascule',
    platform: 'browser',
    target: 'es2022',
  });
  gateway = await startFakeGateway(bundled.outputFiles[0]!.text);
  browser = await chromium.launch({
    // Debian's chromium here and in .ci/run; CHROMIUM_PATH elsewhere (GitHub's runners have Google Chrome).
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

beforeEach(async () => {
  page = await browser.newPage();
  await page.addInitScript(installRecorders);
  await page.goto(`${gateway.origin}/`);
  gateway.requests.length = 0;
});

afterEach(async () => {
  await page.close();
});

/** Runs `client.speak(text)` in the page against `baseUrl`; returns the result and the recorders. */
async function speakInPage(baseUrl: string, text: string, timeouts: { timeoutMs?: number; speechTimeoutMs?: number } = {}) {
  return page.evaluate(
    async ({ baseUrl, text, timeouts }) => {
      const g = globalThis as unknown as PageGlobals;
      const client = g.Bascule.createBasculeClient({ baseUrl, clientKey: 'key-123', studentId: 'élève-7', ...timeouts });
      try {
        const result = await client.speak(text);
        await result.finished;
        const { finished: _finished, ...rest } = result;
        return { result: rest, spoken: g.spoken, played: g.played, error: null };
      } catch (error) {
        const e = error as { name: string; message: string; status?: number; code?: string };
        return { result: null, spoken: g.spoken, played: g.played, error: { name: e.name, status: e.status, code: e.code, message: e.message } };
      }
    },
    { baseUrl, text, timeouts },
  );
}

describe('speak()', () => {
  it('speaks the directive through speechSynthesis in fr-FR, with its rate', async () => {
    const outcome = await speakInPage(`${gateway.origin}/directive`, 'maison');
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'directive' });
    // The browser keeps the rate as a float32.
    expect(outcome.spoken).toEqual([{ text: 'maison', lang: 'fr-FR', rate: expect.closeTo(0.9, 5), voice: null }]);
    expect(outcome.played).toEqual([]);
    const [request] = gateway.requests;
    expect(request?.path).toBe('/directive/v1/audio/speech');
    expect(request?.headers.authorization).toBe('Bearer key-123');
    expect(request?.headers['x-student-id']).toBe('élève-7');
    expect(JSON.parse(request!.body.toString('utf8'))).toEqual({ input: 'maison', voice: 'default', response_format: 'wav' });
  });

  it('plays the WAV when the gateway answers audio, and does not speak', async () => {
    const outcome = await speakInPage(`${gateway.origin}/audio`, 'le chat');
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({ via: 'audio', provider: 'coqui', route: 'production' });
    expect(outcome.played).toEqual([{ src: expect.stringMatching(/^blob:/), bytes: WAV.length, outcome: 'playing' }]);
    expect(outcome.spoken).toEqual([]);
  });

  it('speaks through speechSynthesis when the gateway cannot be reached', async () => {
    const outcome = await speakInPage(await closedOrigin(), 'bateau');
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'gateway-unavailable' });
    expect(outcome.spoken).toEqual([{ text: 'bateau', lang: 'fr-FR', rate: 1, voice: null }]);
  });

  it('speaks through speechSynthesis when the gateway does not answer in time', async () => {
    const outcome = await speakInPage(`${gateway.origin}/silent`, 'vélo', { speechTimeoutMs: 300 });
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'gateway-unavailable' });
    expect(outcome.spoken.map((s) => [s.text, s.lang])).toEqual([['vélo', 'fr-FR']]);
  });

  it("speech waits for its own timeout, not the other requests' longer one", async () => {
    // With the 60 s request timeout, this test would time out; speech gives up at its own 300 ms.
    const outcome = await speakInPage(`${gateway.origin}/silent`, 'moto', { timeoutMs: 60_000, speechTimeoutMs: 300 });
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'gateway-unavailable' });
    expect(outcome.spoken.map((s) => s.text)).toEqual(['moto']);
  });

  it('speaks through speechSynthesis when every provider failed (502)', async () => {
    const outcome = await speakInPage(`${gateway.origin}/overloaded`, 'école');
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'gateway-unavailable' });
    expect(outcome.spoken.map((s) => s.text)).toEqual(['école']);
  });

  it('speaks through speechSynthesis when the browser cannot play the audio it got', async () => {
    const outcome = await speakInPage(`${gateway.origin}/garbled`, 'lune');
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'playback-failed' });
    expect(outcome.played).toEqual([{ src: expect.stringMatching(/^blob:/), bytes: 23, outcome: 'NotSupportedError' }]);
    expect(outcome.spoken.map((s) => s.text)).toEqual(['lune']);
  });

  it('speaks through speechSynthesis when the client key is rate limited (429)', async () => {
    const outcome = await speakInPage(`${gateway.origin}/ratelimited`, 'girafe');
    expect(outcome.result).toEqual({ via: 'web-speech', reason: 'gateway-unavailable' });
    expect(outcome.spoken.map((s) => [s.text, s.lang])).toEqual([['girafe', 'fr-FR']]);
  });

  it('throws the gateway error for a client error (401) and says nothing', async () => {
    const outcome = await speakInPage(`${gateway.origin}/error`, 'maison');
    expect(outcome.result).toBeNull();
    expect(outcome.error).toEqual({ name: 'BasculeError', status: 401, code: 'unauthorized', message: 'unknown client key' });
    expect(outcome.spoken).toEqual([]);
    expect(outcome.played).toEqual([]);
  });
});

describe('the other calls', () => {
  it('chat, transcribe, checkReading and recognizeHandwriting send the documented requests and return the bodies', async () => {
    const results = await page.evaluate(async (baseUrl) => {
      const g = globalThis as unknown as PageGlobals;
      const client = g.Bascule.createBasculeClient({ baseUrl, clientKey: 'key-123', studentId: 's-1' });
      const audio = new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' });
      const image = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
      return {
        chat: await client.chat({ messages: [{ role: 'user', content: 'Une phrase sur un chat.' }] }),
        transcription: await client.transcribe(audio),
        reading: await client.checkReading(audio, 'le chat dort'),
        handwriting: await client.recognizeHandwriting(image, 'a'),
        rating: await client.rate('stt', 8),
      };
    }, `${gateway.origin}/audio`);
    expect(results).toEqual({ chat: CANNED.chat, transcription: CANNED.transcription, reading: CANNED.reading, handwriting: CANNED.handwriting, rating: CANNED.rating });
    expect(JSON.parse(gateway.requests.find((r) => r.path === '/audio/v1/satisfaction')!.body.toString('utf8'))).toEqual({ component: 'stt', score: 8, rater: 'student' });

    const byPath = new Map(gateway.requests.map((r) => [r.path, r]));
    expect(JSON.parse(byPath.get('/audio/v1/chat/completions')!.body.toString('utf8'))).toEqual({ messages: [{ role: 'user', content: 'Une phrase sur un chat.' }], stream: false });
    const reading = byPath.get('/audio/v1/reading/check')!;
    expect(reading.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(reading.body.toString('latin1')).toMatch(/name="audio"; filename="reading.wav"\r\nContent-Type: audio\/wav\r\n\r\nRIFF/);
    expect(reading.body.toString('utf8')).toContain('name="expected"\r\n\r\nle chat dort\r\n');
    expect(byPath.get('/audio/v1/audio/transcriptions')!.body.toString('latin1')).toMatch(/name="file"; filename="audio.wav"/);
    expect(byPath.get('/audio/v1/vision/handwriting')!.body.toString('utf8')).toContain('name="target"\r\n\r\na\r\n');
    for (const request of gateway.requests.filter((r) => r.path.startsWith('/audio/'))) {
      expect(request.headers.authorization).toBe('Bearer key-123');
      expect(request.headers['x-student-id']).toBe('s-1');
    }
  });

  it('turns a 400 body into a BasculeError naming the field', async () => {
    const error = await page.evaluate(async (baseUrl) => {
      const g = globalThis as unknown as PageGlobals;
      const client = g.Bascule.createBasculeClient({ baseUrl, clientKey: 'key-123', studentId: 's-1' });
      try {
        await client.recognizeHandwriting(new Blob([new Uint8Array([1])], { type: 'image/png' }), 'ab');
        return null;
      } catch (e) {
        const err = e as InstanceType<PageGlobals['Bascule']['BasculeError']>;
        return { isBasculeError: e instanceof g.Bascule.BasculeError, status: err.status, code: err.code, field: err.field, message: err.message };
      }
    }, `${gateway.origin}/audio`);
    expect(error).toEqual({ isBasculeError: true, status: 400, code: 'invalid_request', field: 'target', message: 'target: expected a single letter' });
  });

  it('reports an unreachable gateway as a BasculeNetworkError', async () => {
    const error = await page.evaluate(async (baseUrl) => {
      const g = globalThis as unknown as PageGlobals;
      const client = g.Bascule.createBasculeClient({ baseUrl, clientKey: 'k', studentId: 's' });
      return client.chat({ messages: [{ role: 'user', content: 'x' }] }).then(
        () => null,
        (e: unknown) => ({ isNetworkError: e instanceof g.Bascule.BasculeNetworkError, kind: (e as { kind: string }).kind }),
      );
    }, await closedOrigin());
    expect(error).toEqual({ isNetworkError: true, kind: 'unreachable' });
  });
});

/** The multipart parts of a recorded request, parsed the way a server does. */
async function partsOf(request: RecordedRequest): Promise<{ files: Record<string, File>; fields: Record<string, string> }> {
  const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
  const files: Record<string, File> = {};
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = value;
  }
  return { files, fields };
}

// The fake gateway is only worth what its fidelity is: its answers must be the gateway's (the contracts'
// schemas), and what the client sends must be what the gateway accepts, so a drift on either side fails here.
describe('the contract between the client and the gateway', () => {
  it("the fake gateway answers bodies of the gateway's shapes", () => {
    expect(ChatCompletionResponseSchema.parse(CANNED.chat)).toEqual(CANNED.chat);
    expect(TranscriptionResponseSchema.parse(CANNED.transcription)).toEqual(CANNED.transcription);
    expect(ReadingCheckResponseSchema.parse(CANNED.reading)).toEqual(CANNED.reading);
    expect(HandwritingResponseSchema.parse(CANNED.handwriting)).toEqual(CANNED.handwriting);
    expect(SatisfactionAcceptedSchema.parse(CANNED.rating)).toEqual(CANNED.rating);
    expect(WebSpeechDirectiveSchema.parse(directiveFor('maison'))).toEqual(directiveFor('maison'));
    for (const body of Object.values(ERRORS)) expect(ErrorBodySchema.parse(body)).toEqual(body);
  });

  it('every request the client sends passes the validation of the gateway', async () => {
    await page.evaluate(async (baseUrl) => {
      const g = globalThis as unknown as PageGlobals;
      const client = g.Bascule.createBasculeClient({ baseUrl, clientKey: 'key-123', studentId: 'élève-7' });
      const audio = new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' });
      const image = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
      await (await client.speak('maison')).finished;
      await (await client.speak('la lune', { voice: 'fr-male-gentle', speed: 0.8 })).finished;
      await client.chat({ messages: [{ role: 'system', content: 'Tu parles à un enfant de six ans.' }, { role: 'user', content: 'Une phrase avec « lune ».' }], max_tokens: 60 });
      await client.transcribe(audio);
      await client.transcribe(new File([audio], 'mot.webm', { type: 'audio/webm' }), { responseFormat: 'verbose_json' });
      await client.checkReading(audio, 'le chat dort');
      await client.recognizeHandwriting(image, 'é');
      await client.rate('tts', 10, 'teacher');
    }, `${gateway.origin}/audio`);

    const sent = (path: string) => gateway.requests.filter((r) => r.path === `/audio${path}`);
    expect(sent('/v1/satisfaction').map((r) => SatisfactionRequestSchema.parse(JSON.parse(r.body.toString('utf8'))))).toEqual([{ component: 'tts', score: 10, rater: 'teacher' }]);
    const speech = sent('/v1/audio/speech').map((r) => SpeechRequestSchema.parse(JSON.parse(r.body.toString('utf8'))));
    expect(speech).toEqual([
      { input: 'maison', voice: 'default', response_format: 'wav' },
      { input: 'la lune', voice: 'fr-male-gentle', speed: 0.8, response_format: 'wav' },
    ]);
    const [chat] = sent('/v1/chat/completions');
    expect(chat!.headers['content-type']).toBe('application/json');
    expect(ChatCompletionRequestSchema.parse(JSON.parse(chat!.body.toString('utf8')))).toMatchObject({ max_tokens: 60, stream: false });

    const transcriptions = await Promise.all(sent('/v1/audio/transcriptions').map(partsOf));
    expect(transcriptions.map(({ files, fields }) => [files.file?.name, files.file?.type, TranscriptionFieldsSchema.parse(fields)])).toEqual([
      ['audio.wav', 'audio/wav', { language: 'fr', response_format: 'json' }],
      ['mot.webm', 'audio/webm', { language: 'fr', response_format: 'verbose_json' }],
    ]);
    const [reading] = await Promise.all(sent('/v1/reading/check').map(partsOf));
    expect([reading!.files.audio?.size, ReadingCheckFieldsSchema.parse(reading!.fields)]).toEqual([4, { expected: 'le chat dort', language: 'fr' }]);
    const [handwriting] = await Promise.all(sent('/v1/vision/handwriting').map(partsOf));
    expect([handwriting!.files.image?.type, HandwritingFieldsSchema.parse(handwriting!.fields)]).toEqual(['image/png', { target: 'é' }]);

    const calls = gateway.requests.filter((r) => r.path.startsWith('/audio/')); // not the browser's own /favicon.ico
    expect(calls).toHaveLength(8);
    for (const request of calls) {
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe('Bearer key-123');
      expect(request.headers['x-student-id']).toBe('élève-7');
    }
  });
});
