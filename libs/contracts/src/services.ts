// HTTP contracts of the three model images in gpu-images/ (whisper, tts, trocr). The gateway's adapters
// and the images' own Python tests read the same JSON Schema files and fixtures generated from these
// (see README.md). Field names are snake_case, as the Python services write them. Requests are strict:
// an unknown field is a 400, so a typo never passes silently.
import { z } from 'zod';

const ratio = () => z.number().min(0).max(1);
const latency = () => z.number().min(0).describe('Server-side processing time in milliseconds');

/** The routes each image serves (besides `GET /metrics`, Prometheus text format). */
export const SERVICE_ROUTES = {
  whisper: { method: 'POST', path: '/transcribe', request: 'multipart/form-data', response: 'application/json' },
  tts: { method: 'POST', path: '/synthesize', request: 'application/json', response: 'audio/wav' },
  trocr: { method: 'POST', path: '/analyze_writing', request: 'multipart/form-data', response: 'application/json' },
  health: { method: 'GET', path: '/health', response: 'application/json' },
} as const;

/**
 * The caller's remaining budget for one inference request, in whole milliseconds (a positive integer). The
 * image gives up at that deadline (504 `deadline_exceeded`), capped by its own BASCULE_MAX_INFERENCE_S, and
 * drops the work if it has not started: a gateway that has already fallen back does not keep the GPU busy.
 */
export const SERVICE_DEADLINE_HEADER = 'X-Bascule-Deadline-Ms';

/**
 * On each successful inference, the model's own compute time for that request, in milliseconds (a decimal
 * number, e.g. `87.4`): what the gateway's capacity forecast is built on (docs/capacity.md). Queueing before
 * the model is not in it; a batched call's time is shared among the requests of the batch.
 */
export const SERVICE_BUSY_HEADER = 'X-Bascule-Busy-Ms';

// ---------------------------------------------------------------- common

/**
 * `GET /health`: status 200 with `status: "ok"` and `warm: true` only when the model is loaded and has
 * answered a warm-up inference; 503 with `status: "loading"` (or `"error"`) otherwise. Extra keys allowed.
 */
export const ServiceHealthSchema = z.looseObject({
  status: z.enum(['ok', 'loading', 'error']),
  model: z.string().min(1).describe('The model served, e.g. "large-v3"'),
  warm: z.boolean(),
  device: z.enum(['cuda', 'cpu']).optional(),
  uptime_s: z.number().min(0).optional(),
});
export type ServiceHealth = z.infer<typeof ServiceHealthSchema>;

/** Error body of the images: the same outer shape as the gateway's, with free-form codes. */
export const ServiceErrorSchema = z.object({
  error: z.looseObject({
    code: z.string().min(1).describe('e.g. invalid_request, unsupported_media_type, payload_too_large, unknown_voice, model_not_ready'),
    message: z.string().min(1),
    field: z.string().min(1).optional().describe('The request field at fault, for 400s'),
  }),
});
export type ServiceError = z.infer<typeof ServiceErrorSchema>;

// ---------------------------------------------------------------- whisper: POST /transcribe (multipart)

/** Multipart text fields; the audio itself is the file part named `audio` (WAV, MP3, OGG, WebM). */
export const WhisperTranscribeFieldsSchema = z.strictObject({
  language: z.string().regex(/^[a-z]{2}$/).default('fr').describe('ISO 639-1 code'),
  initial_prompt: z.string().max(1000).optional().describe('Context words; never the text the child must read'),
});
export type WhisperTranscribeFields = z.infer<typeof WhisperTranscribeFieldsSchema>;

export const WhisperSegmentSchema = z.object({
  start: z.number().min(0).describe('seconds'),
  end: z.number().min(0).describe('seconds'),
  text: z.string(),
  avg_logprob: z.number().max(0),
  no_speech_prob: ratio(),
});
export type WhisperSegment = z.infer<typeof WhisperSegmentSchema>;

export const WhisperTranscribeResponseSchema = z.object({
  text: z.string(),
  language: z.string().min(2),
  /** exp(mean avg_logprob) over the segments, 0..1; 0 when nothing was heard. */
  confidence: ratio(),
  segments: z.array(WhisperSegmentSchema),
  latency_ms: latency(),
});
export type WhisperTranscribeResponse = z.infer<typeof WhisperTranscribeResponseSchema>;

// ---------------------------------------------------------------- tts: POST /synthesize (JSON → audio/wav)

/** The plan's French voices and the Coqui model behind each (gpu-images/tts `DEFAULT_VOICES`). */
export const TTS_VOICES = {
  'fr-female-clear': 'tts_models/fr/css10/vits',
  'fr-male-gentle': 'tts_models/fr/mai/tacotron2-DDC',
} as const;
export type TtsVoice = keyof typeof TTS_VOICES;
export const TTS_VOICE_IDS = Object.keys(TTS_VOICES) as [TtsVoice, ...TtsVoice[]];
/** The voice a request gets when it asks for `default` (unless the gateway's config names another). */
export const TTS_DEFAULT_VOICE: TtsVoice = 'fr-female-clear';
/** The image's speed range (Coqui's length scale and the time stretch sound wrong outside it). */
export const TTS_SPEED_RANGE = { min: 0.5, max: 2 } as const;

export const TtsSynthesizeRequestSchema = z.strictObject({
  text: z.string().min(1).max(1000),
  voice: z.string().min(1).describe('One of the voices the image lists in its 400 body'),
  speed: z.number().min(TTS_SPEED_RANGE.min).max(TTS_SPEED_RANGE.max).default(1),
});
export type TtsSynthesizeRequest = z.infer<typeof TtsSynthesizeRequestSchema>;

/** 400 for an unknown voice: lists the voices the image has. */
export const TtsVoiceErrorSchema = z.object({
  error: z.object({
    code: z.literal('unknown_voice'),
    message: z.string().min(1),
    field: z.literal('voice'),
    voices: z.array(z.string().min(1)).min(1),
  }),
});
export type TtsVoiceError = z.infer<typeof TtsVoiceErrorSchema>;

/** The 200 body is a RIFF/WAVE file (PCM 16-bit, mono); these headers describe it. */
export const TTS_RESPONSE_HEADERS = { contentType: 'audio/wav', sampleRate: 'x-sample-rate', latencyMs: 'x-latency-ms' } as const;

// ---------------------------------------------------------------- trocr: POST /analyze_writing (multipart)

/** Multipart text fields; the picture is the file part named `image` (PNG or JPEG). */
export const TrocrAnalyzeFieldsSchema = z.strictObject({
  target_letter: z.string().min(1).max(4).describe('The letter the child was asked to write, e.g. "a" or "é"'),
});
export type TrocrAnalyzeFields = z.infer<typeof TrocrAnalyzeFieldsSchema>;

const pixels = () => z.number().min(0);

export const TrocrLetterSchema = z.object({
  text: z.string(),
  confidence: ratio(),
  bbox: z.tuple([pixels(), pixels(), pixels(), pixels()]).describe('[x, y, width, height] in pixels, origin top-left'),
});
export type TrocrLetter = z.infer<typeof TrocrLetterSchema>;

export const TrocrAnalysisSchema = z.object({
  target: z.string(),
  recognized: z.string(),
  match: z.boolean(),
  confidence: ratio(),
  advice: z.string().describe('One short sentence for the child, in French'),
});
export type TrocrAnalysis = z.infer<typeof TrocrAnalysisSchema>;

export const TrocrAnalyzeResponseSchema = z.object({
  letters: z.array(TrocrLetterSchema),
  analysis: TrocrAnalysisSchema,
  latency_ms: latency(),
});
export type TrocrAnalyzeResponse = z.infer<typeof TrocrAnalyzeResponseSchema>;
