// The trocr image's contract: `POST /analyze_writing` multipart `image` (PNG/JPEG) and `target_letter` →
// `{letters: [{text, confidence, bbox}], analysis: {target, recognized, match, confidence, advice}, latency_ms}`.
import type { FastifyInstance } from 'fastify';
import { TrocrAnalyzeFieldsSchema } from '@bascule/contracts';
import type { UpstreamContext, UpstreamDefinition } from '../upstream.ts';
import { elapsedMs, readMultipart } from './http.ts';
import { imageErrorBody, registerImageOps } from './image.ts';
import { see } from './writing.ts';

/** TrOCR (handwritten) misreads few letters. */
export const TROCR_MISREAD_RATE = 0.02;

function advice(target: string, recognized: string): string {
  if (!recognized) return 'Je n’ai rien vu. Écris la lettre plus grande.';
  if (recognized === target) return `Bravo, c’est bien un ${target} !`;
  return `Presque ! Regarde bien la forme du ${target}.`;
}

function register(app: FastifyInstance, ctx: UpstreamContext): void {
  registerImageOps(app, ctx, 'microsoft/trocr-base-handwritten', '/analyze_writing');
  app.post('/analyze_writing', async (request, reply) => {
    const started = performance.now();
    const { files, fields } = await readMultipart(request);
    const image = files.find((f) => f.field === 'image');
    if (!image) return reply.code(400).send(imageErrorBody(400, 'image: expected a PNG or JPEG file part', 'image'));
    const parsed = TrocrAnalyzeFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body');
      return reply.code(400).send(imageErrorBody(400, `${field}: ${issue?.message ?? 'invalid'}`, field));
    }
    await ctx.think();
    const target = parsed.data.target_letter;
    const seen = see(image.data, ctx.seed, { target, misreadRate: TROCR_MISREAD_RATE, degradation: ctx.degradation() });
    const letters = [...seen.text].map((text, i) => ({ text, confidence: seen.confidences[i] ?? 0, bbox: seen.boxes[i] ?? [0, 0, 0, 0] }));
    const confidence = letters.length ? Math.min(...letters.map((l) => l.confidence)) : 0;
    return {
      letters,
      analysis: { target, recognized: seen.text, match: seen.text === target, confidence, advice: advice(target, seen.text) },
      latency_ms: elapsedMs(started),
    };
  });
}

export const trocr: UpstreamDefinition = { name: 'trocr', errorBody: imageErrorBody, register };
