// What the executor gives an adapter for one attempt, and what each kind of adapter answers.
import type { ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse, WebSpeechDirective } from '@bascule/contracts';
import type { ProviderId, Usage } from '@bascule/routing';
import type { HostPool } from './hosts.ts';

export interface CallContext {
  /** Time left for this attempt (the request's deadline minus now); every call times out within it. */
  timeoutMs: number;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /**
   * false: the call's outcome does not judge the host's breaker (a shadow comparison's call: its failures
   * must not take a host away from the students it serves). Default true.
   */
  judged?: boolean;
}

/** Settings of one provider from the gateway config, plus its API key from the environment. */
export interface ProviderSettings {
  id: ProviderId;
  baseUrl: string | undefined;
  model: string | undefined;
  voice: string | undefined;
  apiKey: string | undefined;
  /** The provider's own timeout cap (config `timeoutMs`); the attempt's remaining time may be shorter. */
  timeoutMs: number;
  /** Its hosts (config `baseUrls`, or `baseUrl`); default: one pool of `baseUrl` made by the adapter. */
  hosts?: HostPool;
}

export interface Priced<T> {
  value: T;
  usage: Usage;
}

export interface ChatAdapter {
  kind: 'chat';
  provider: ProviderId;
  complete(request: ChatCompletionRequest, ctx: CallContext): Promise<Priced<ChatCompletionResponse>>;
  /** Opens the stream: resolves once the upstream answered 200 (headers), rejects before that. */
  stream(request: ChatCompletionRequest, ctx: CallContext): Promise<ChatStream>;
}

export interface ChatStream {
  /** Parsed `data:` payloads, without the final `[DONE]`. Throws when the upstream breaks mid-stream. */
  chunks: AsyncIterable<ChatCompletionChunk>;
  /** Token usage seen so far (the last chunk's `usage`, when the upstream sends one). */
  usage(): Usage;
  /** The first event reached the client: the deadline no longer applies, only the idle timeout. */
  started(): void;
  close(): void;
}

export interface AudioInput {
  data: Buffer;
  filename: string;
  mimetype: string;
  language: string;
  /** Context words (OpenAI's `prompt`); the reading check never sends one. */
  prompt?: string;
}

export interface Transcript {
  text: string;
  language: string;
  /** Seconds of audio. */
  duration: number;
  segments: { start: number; end: number; text: string; avg_logprob?: number; no_speech_prob?: number }[];
  confidence?: number;
}

export interface TranscribeAdapter {
  kind: 'transcribe';
  provider: ProviderId;
  transcribe(input: AudioInput, ctx: CallContext): Promise<Priced<Transcript>>;
}

export interface SpeechInput {
  text: string;
  voice: string;
  speed: number;
}

export type SpeechResult = { kind: 'audio'; wav: Buffer; seconds: number } | { kind: 'directive'; directive: WebSpeechDirective };

export interface SpeechAdapter {
  kind: 'speech';
  provider: ProviderId;
  synthesize(input: SpeechInput, ctx: CallContext): Promise<Priced<SpeechResult>>;
}

export interface ImageInput {
  data: Buffer;
  filename: string;
  mimetype: string;
  target: string;
}

export interface Handwriting {
  text: string;
  confidence: number;
  boxes: { text: string; confidence: number; bbox: [number, number, number, number] }[];
  /** The provider's own judgement and advice, when it gives one (TrOCR does). */
  match?: boolean;
  advice?: string;
}

export interface HandwritingAdapter {
  kind: 'handwriting';
  provider: ProviderId;
  analyze(input: ImageInput, ctx: CallContext): Promise<Priced<Handwriting>>;
}

export type Adapter = ChatAdapter | TranscribeAdapter | SpeechAdapter | HandwritingAdapter;
