// Bodies of the gateway's public API (`/v1/...`). Where OpenAI has a shape, Bascule uses it, so the
// official `openai` client works unchanged; the reading and handwriting endpoints are Bascule's own.
// Request schemas strip unknown keys (OpenAI clients send extras such as `n` or `top_p`).
import { z } from 'zod';
import { TTS_VOICE_IDS } from './services.ts';
import { ProviderIdSchema } from './vocabulary.ts';

// ---------------------------------------------------------------- chat (`llm`)

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export type ChatRole = z.infer<typeof ChatRoleSchema>;

/** A text content part, as the OpenAI client sends when `content` is an array. */
export const ChatTextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

export const ChatMessageSchema = z.object({
  role: ChatRoleSchema,
  content: z.union([z.string(), z.array(ChatTextPartSchema).min(1)]),
  name: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatCompletionRequestSchema = z.object({
  messages: z.array(ChatMessageSchema).min(1, 'expected at least one message'),
  /** Ignored for routing (the component's plan picks the provider); echoed back. */
  model: z.string().min(1).optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
  max_tokens: z.number().int().min(1).max(8192).optional(),
  max_completion_tokens: z.number().int().min(1).max(8192).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  /** OpenAI's end-user id; the gateway accepts it as the student id when `X-Student-Id` is absent. */
  user: z.string().min(1).max(256).optional(),
  /** OpenAI's structured output (`{"type":"json_object"}`), passed on; the shadow comparison checks the JSON parses. */
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const UsageSchema = z.object({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});
export type Usage = z.infer<typeof UsageSchema>;

export const FinishReasonSchema = z.enum(['stop', 'length', 'content_filter', 'tool_calls']);

export const ChatCompletionResponseSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(), // Unix seconds, as OpenAI
  model: z.string(),
  choices: z
    .array(
      z.object({
        index: z.number().int().min(0),
        message: z.object({ role: z.literal('assistant'), content: z.string().nullable() }),
        finish_reason: FinishReasonSchema.nullable(),
      }),
    )
    .min(1),
  usage: UsageSchema.optional(),
});
export type ChatCompletionResponse = z.infer<typeof ChatCompletionResponseSchema>;

/** One `data:` line of a streamed completion (`stream: true`); the stream ends with `data: [DONE]`. */
export const ChatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int().min(0),
      delta: z.object({ role: z.literal('assistant').optional(), content: z.string().nullable().optional() }),
      finish_reason: FinishReasonSchema.nullable(),
    }),
  ),
  usage: UsageSchema.nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

/** The literal that ends an OpenAI-style event stream. A stream that breaks after its first byte
 *  ends instead with one `data:` line holding an `ErrorBody` (see errors.ts), never silently. */
export const STREAM_DONE = '[DONE]';

// ---------------------------------------------------------------- transcription (`stt`)

/** Multipart fields of `POST /v1/audio/transcriptions` besides the `file` part (the audio). */
export const TranscriptionFieldsSchema = z.object({
  model: z.string().min(1).optional(),
  /** ISO 639-1; Bascule's students read French. */
  language: z.string().regex(/^[a-z]{2}$/, 'expected an ISO 639-1 code such as "fr"').default('fr'),
  prompt: z.string().max(1000).optional(),
  response_format: z.enum(['json', 'verbose_json', 'text']).default('json'),
  temperature: z.coerce.number().min(0).max(1).optional(),
});
export type TranscriptionFields = z.infer<typeof TranscriptionFieldsSchema>;

/** `response_format: "json"` (the default). */
export const TranscriptionResponseSchema = z.object({ text: z.string() });
export type TranscriptionResponse = z.infer<typeof TranscriptionResponseSchema>;

export const TranscriptionSegmentSchema = z.object({
  id: z.number().int().min(0),
  start: z.number().min(0), // seconds
  end: z.number().min(0),
  text: z.string(),
  avg_logprob: z.number().optional(),
  no_speech_prob: z.number().min(0).max(1).optional(),
});
export type TranscriptionSegment = z.infer<typeof TranscriptionSegmentSchema>;

/** `response_format: "verbose_json"`. */
export const TranscriptionVerboseResponseSchema = z.object({
  task: z.literal('transcribe').optional(),
  text: z.string(),
  language: z.string(),
  duration: z.number().min(0), // seconds of audio
  segments: z.array(TranscriptionSegmentSchema),
});
export type TranscriptionVerboseResponse = z.infer<typeof TranscriptionVerboseResponseSchema>;

// ---------------------------------------------------------------- speech (`tts`)

/**
 * OpenAI's speech voices. The `openai` client and apps written for OpenAI send one of these; the gateway
 * speaks French only, so each means "the default French voice".
 */
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'fable', 'marin', 'nova', 'onyx', 'sage', 'shimmer', 'verse'] as const;

/** What `voice` admits: `default`, one of the plan's French voices, or an OpenAI voice name. */
export const SPEECH_VOICES: readonly string[] = ['default', ...TTS_VOICE_IDS, ...OPENAI_VOICES];

/** The voice to ask the provider for: an OpenAI name becomes `default` (the configured French voice). */
export function resolveSpeechVoice(voice: string): string {
  return (OPENAI_VOICES as readonly string[]).includes(voice) ? 'default' : voice;
}

export const SpeechRequestSchema = z.object({
  model: z.string().min(1).optional(),
  input: z.string().trim().min(1, 'expected non-empty text').max(1000, 'expected at most 1000 characters'),
  /** `default` for the voice in the gateway's config (what @bascule/client sends unless told otherwise), a
   *  voice of the plan (`fr-female-clear`, `fr-male-gentle`), or an OpenAI voice name (→ `default`).
   *  The Web Speech directive carries it as a hint. */
  voice: z
    .string({ error: `expected a voice: default, ${TTS_VOICE_IDS.join(', ')} or an OpenAI voice name` })
    .refine((v) => SPEECH_VOICES.includes(v), {
      message: `unknown voice; expected default, one of ${TTS_VOICE_IDS.join(', ')}, or an OpenAI voice (${OPENAI_VOICES.join(', ')})`,
    }),
  speed: z.number().min(0.25).max(4).optional(),
  /** Only WAV is produced (Coqui's native output); anything else is a 400 naming this field. */
  response_format: z.literal('wav').optional(),
});
export type SpeechRequest = z.infer<typeof SpeechRequestSchema>;

/** Content type of a synthesized answer (production route). */
export const SPEECH_AUDIO_CONTENT_TYPE = 'audio/wav';

/**
 * The gateway's answer when a student's `tts` route resolves to the MVP provider: the browser speaks
 * the text itself with `speechSynthesis` (Content-Type application/json, status 200).
 */
export const WebSpeechDirectiveSchema = z.object({
  provider: z.literal('web-speech'),
  text: z.string().min(1),
  lang: z.literal('fr-FR'),
  /** A `SpeechSynthesisVoice.name` to prefer when the browser has it. */
  voice: z.string().min(1).optional(),
  /** `SpeechSynthesisUtterance.rate`: 1 is normal speed. */
  rate: z.number().min(0.1).max(10),
});
export type WebSpeechDirective = z.infer<typeof WebSpeechDirectiveSchema>;

// ---------------------------------------------------------------- reading check (`stt`)

/** Multipart fields of `POST /v1/reading/check` besides the `audio` part. */
export const ReadingCheckFieldsSchema = z.object({
  /** What the child was asked to read. Compared with the transcript; never sent to the recogniser. */
  expected: z.string().trim().min(1, 'expected the text the child was asked to read').max(500),
  language: z.string().regex(/^[a-z]{2}$/, 'expected an ISO 639-1 code such as "fr"').default('fr'),
});
export type ReadingCheckFields = z.infer<typeof ReadingCheckFieldsSchema>;

export const WordVerdictSchema = z.enum(['correct', 'substituted', 'missing', 'inserted']);
export type WordVerdict = z.infer<typeof WordVerdictSchema>;

/** One step of the alignment: `expected` is null for an inserted word, `heard` null for a missing one. */
export const WordCheckSchema = z.object({
  expected: z.string().nullable(),
  heard: z.string().nullable(),
  verdict: WordVerdictSchema,
});
export type WordCheck = z.infer<typeof WordCheckSchema>;

export const ReadingCheckResponseSchema = z.object({
  transcript: z.string(),
  expected: z.string(),
  words: z.array(WordCheckSchema),
  /** Share of the expected words read correctly, 0..1. */
  score: z.number().min(0).max(1),
  /** Word error rate: (substitutions + deletions + insertions) / expected words; may exceed 1. */
  wer: z.number().min(0),
  provider: ProviderIdSchema,
  language: z.string().optional(),
  duration: z.number().min(0).optional(), // seconds of audio, when the provider says
});
export type ReadingCheckResponse = z.infer<typeof ReadingCheckResponseSchema>;

// ---------------------------------------------------------------- handwriting (`vision`)

/** Multipart fields of `POST /v1/vision/handwriting` besides the `image` part. */
export const HandwritingFieldsSchema = z.object({
  /** The letter the child was asked to write (one grapheme, accents allowed: "a", "é", "Ç"). */
  target: z.string().trim().min(1, 'expected the target letter').max(4, 'expected a single letter'),
});
export type HandwritingFields = z.infer<typeof HandwritingFieldsSchema>;

/** `[x, y, width, height]` in pixels of the submitted image, origin top-left. */
export const BoundingBoxSchema = z.tuple([z.number().min(0), z.number().min(0), z.number().min(0), z.number().min(0)]);
export type BoundingBox = z.infer<typeof BoundingBoxSchema>;

export const HandwritingVerdictSchema = z.enum(['correct', 'incorrect', 'unreadable']);
export type HandwritingVerdict = z.infer<typeof HandwritingVerdictSchema>;

export const HandwritingResponseSchema = z.object({
  /** Everything recognised, in reading order. */
  text: z.string(),
  confidence: z.number().min(0).max(1),
  boxes: z.array(z.object({ text: z.string(), confidence: z.number().min(0).max(1), bbox: BoundingBoxSchema })),
  target: z.string(),
  verdict: HandwritingVerdictSchema,
  /** One short sentence for the child, in French. */
  advice: z.string(),
  provider: ProviderIdSchema,
});
export type HandwritingResponse = z.infer<typeof HandwritingResponseSchema>;

/** Response headers set on every routed answer. */
export const BASCULE_HEADERS = {
  component: 'x-bascule-component',
  provider: 'x-bascule-provider',
  route: 'x-bascule-route',
  latencyMs: 'x-bascule-latency-ms',
  overheadMs: 'x-bascule-overhead-ms',
  studentId: 'x-student-id',
} as const;

// ---------------------------------------------------------------- operations

/** `GET /healthz`: the process is alive (200). */
export const HealthzResponseSchema = z.object({ status: z.literal('ok'), version: z.string().optional(), uptimeS: z.number().min(0).optional() });
export type HealthzResponse = z.infer<typeof HealthzResponseSchema>;

/** `GET /readyz`: 200 `ready` when the store is open and the config loaded; 503 `not_ready` otherwise. */
export const ReadyzResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), message: z.string().optional() })),
});
export type ReadyzResponse = z.infer<typeof ReadyzResponseSchema>;
