// The tts image's contract: `POST /synthesize` JSON `{text, voice, speed}` → `audio/wav` (PCM 16-bit mono,
// 22 050 Hz). The lab's "voice" is a soft tone lasting as long as the text would take to say.
import type { FastifyInstance } from 'fastify';
import { TtsSynthesizeRequestSchema, TTS_RESPONSE_HEADERS, TTS_VOICES, type TtsVoice } from '@bascule/contracts';
import type { UpstreamContext, UpstreamDefinition } from '../upstream.ts';
import { WAV_SAMPLE_RATE, encodeToneWav } from '../wav.ts';
import { elapsedMs } from './http.ts';
import { DEGRADED_DURATION_FACTOR, DEGRADED_SAMPLE_RATE, speechDefect } from '../degrade.ts';
import { imageErrorBody, registerImageOps } from './image.ts';

/** The plan's voices (libs/contracts TTS_VOICES, the image's defaults), with the pitch the lab gives each. */
export const COQUI_VOICES: Readonly<Record<TtsVoice, number>> = { 'fr-female-clear': 220, 'fr-male-gentle': 130 };

/** Seconds of speech for `text` at `speed`: about 14 characters a second, as a teacher reads to a child. */
export function speechDurationS(text: string, speed: number): number {
  return Math.max(0.3, text.length / 14 / speed);
}

/** Synthesized files by duration and pitch: the same word asked again costs no sample loop. */
const cache = new Map<string, Buffer>();
const CACHE_ENTRIES = 256;

function toneFor(durationS: number, frequencyHz: number, sampleRate = WAV_SAMPLE_RATE): Buffer {
  const key = `${Math.round(durationS * sampleRate)}:${frequencyHz}:${sampleRate}`;
  let wav = cache.get(key);
  if (!wav) {
    wav = encodeToneWav({ durationS, frequencyHz, sampleRate });
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, wav);
  }
  return wav;
}

function register(app: FastifyInstance, ctx: UpstreamContext): void {
  registerImageOps(app, ctx, Object.values(TTS_VOICES).sort().join(','), '/synthesize');
  app.post('/synthesize', async (request, reply) => {
    const started = performance.now();
    if (!request.headers['content-type']?.startsWith('application/json')) {
      return reply.code(415).send(imageErrorBody(415, 'expected an application/json body'));
    }
    const parsed = TtsSynthesizeRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body');
      return reply.code(400).send(imageErrorBody(400, `${field}: ${issue?.message ?? 'invalid'}`, field));
    }
    const { text, voice, speed } = parsed.data;
    const frequencyHz = (COQUI_VOICES as Readonly<Record<string, number>>)[voice];
    if (frequencyHz === undefined) {
      const voices = Object.keys(COQUI_VOICES);
      return reply.code(400).send({ error: { code: 'unknown_voice', message: `unknown voice "${voice}"; expected one of ${voices.join(', ')}`, field: 'voice', voices } });
    }
    await ctx.think();
    // A degrade fault: some files far too long, or at a sample rate the contract does not promise.
    const defect = speechDefect(ctx.degradation());
    const durationS = speechDurationS(text, speed) * (defect === 'duration' ? DEGRADED_DURATION_FACTOR : 1);
    const sampleRate = defect === 'sample-rate' ? DEGRADED_SAMPLE_RATE : WAV_SAMPLE_RATE;
    const wav = toneFor(durationS, frequencyHz, sampleRate);
    return reply
      .type(TTS_RESPONSE_HEADERS.contentType)
      .header(TTS_RESPONSE_HEADERS.sampleRate, String(sampleRate))
      .header(TTS_RESPONSE_HEADERS.latencyMs, String(elapsedMs(started)))
      .send(wav);
  });
}

export const coqui: UpstreamDefinition = { name: 'coqui', errorBody: imageErrorBody, register };
