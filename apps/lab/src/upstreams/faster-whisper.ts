// The whisper image's contract (libs/contracts services.ts): `POST /transcribe` multipart `audio`, `language`,
// `initial_prompt` → `{text, language, confidence, segments, latency_ms}`; strict fields.
import type { FastifyInstance } from 'fastify';
import { WhisperTranscribeFieldsSchema } from '@bascule/contracts';
import type { UpstreamContext, UpstreamDefinition } from '../upstream.ts';
import { elapsedMs, readMultipart } from './http.ts';
import { imageErrorBody, registerImageOps } from './image.ts';
import { hear } from './speech.ts';

function register(app: FastifyInstance, ctx: UpstreamContext): void {
  registerImageOps(app, ctx, 'large-v3', '/transcribe');
  app.post('/transcribe', async (request, reply) => {
    const started = performance.now();
    const { files, fields } = await readMultipart(request);
    const audio = files.find((f) => f.field === 'audio');
    if (!audio) return reply.code(400).send(imageErrorBody(400, 'audio: expected an audio file part', 'audio'));
    const parsed = WhisperTranscribeFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body');
      return reply.code(400).send(imageErrorBody(400, `${field}: ${issue?.message ?? 'invalid'}`, field));
    }
    await ctx.think();
    const heard = hear(audio.data, ctx.seed, ctx.degradation());
    return { text: heard.text, language: parsed.data.language, confidence: heard.confidence, segments: heard.segments, latency_ms: elapsedMs(started) };
  });
}

export const fasterWhisper: UpstreamDefinition = { name: 'faster-whisper', errorBody: imageErrorBody, register };
