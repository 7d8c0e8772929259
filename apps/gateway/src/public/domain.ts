// Bascule's own endpoints: POST /v1/reading/check (audio + expected text → per-word verdicts, score, WER)
// and POST /v1/vision/handwriting (image + target letter → recognised text, confidence, boxes, verdict).
import { HandwritingFieldsSchema, ReadingCheckFieldsSchema, type HandwritingResponse, type HandwritingVerdict, type ReadingCheckResponse } from '@bascule/contracts';
import type { FastifyInstance } from 'fastify';
import type { Handwriting, HandwritingAdapter, TranscribeAdapter, Transcript } from '../adapters/index.ts';
import type { AttemptCall } from '../proxy/index.ts';
import { compareHandwriting, compareTranscripts } from '../shadow/index.ts';
import { clientWatch } from '../http/client-signal.ts';
import { fromZodError, PublicError } from '../http/errors.ts';
import { AUDIO_TYPES, IMAGE_TYPES, mediaTypeHook } from '../http/media.ts';
import { readMultipartOnce } from '../http/multipart.ts';
import { readStudentId } from '../http/student.ts';
import { checkReading } from '../reading/index.ts';
import { handwritingVerdict } from './verdict.ts';
import { identifyStudent, markRouted, requireComponent, routed, type RouteContext } from './context.ts';

export function registerDomain(app: FastifyInstance, ctx: RouteContext): void {
  const { audioBytes, imageBytes } = ctx.config.server.bodyLimits;

  app.post('/reading/check', { onRequest: mediaTypeHook('multipart') }, async (request, reply) => {
    requireComponent(ctx.config, 'stt');
    const studentId = readStudentId(request.headers['x-student-id']);
    identifyStudent(request, ctx, 'stt', studentId);
    const { file, fields } = await readMultipartOnce(request, { fileField: 'audio', maxFileBytes: audioBytes, acceptedTypes: AUDIO_TYPES, what: 'an audio recording' });
    // `expected` (the contract) or `expected_text` (an alias apps may send).
    const input = { expected: fields.expected ?? fields.expected_text, ...(fields.language !== undefined ? { language: fields.language } : {}) };
    const parsed = ReadingCheckFieldsSchema.safeParse(input);
    if (!parsed.success) throw fromZodError(parsed.error, input, '');
    const { expected, language } = parsed.data;
    // Never the expected text as a prompt: the recogniser would "correct" the child towards it.
    const transcribe: AttemptCall<Transcript> = (provider, call) =>
      ctx.executor.adapterFor<TranscribeAdapter>(provider, 'transcribe').transcribe({ data: file.data, filename: file.filename, mimetype: file.mimetype, language }, call);
    const result = await routed(request, reply, 'stt', () => ctx.executor.run('stt', studentId, transcribe, clientWatch(reply)));
    markRouted(request, reply, 'stt', result.provider, result.route, result.upstreamMs);
    let check;
    try {
      check = checkReading(expected, result.value.text);
    } catch (error) {
      throw new PublicError('invalid_request', (error as Error).message, { field: 'expected' });
    }
    const mvpText = result.value.text;
    if (ctx.shadow?.wants('stt', result.route)) ctx.shadow.offer(reply, 'stt', { call: transcribe, compare: (production) => compareTranscripts(mvpText, production.text, expected) });
    const body: ReadingCheckResponse = { transcript: result.value.text, expected, ...check, provider: result.provider, language: result.value.language, duration: result.value.duration };
    return body;
  });

  app.post('/vision/handwriting', { onRequest: mediaTypeHook('multipart') }, async (request, reply) => {
    requireComponent(ctx.config, 'vision');
    const studentId = readStudentId(request.headers['x-student-id']);
    identifyStudent(request, ctx, 'vision', studentId);
    const { file, fields } = await readMultipartOnce(request, { fileField: 'image', maxFileBytes: imageBytes, acceptedTypes: IMAGE_TYPES, what: 'a PNG or JPEG picture' });
    const input = { target: fields.target ?? fields.target_letter };
    const parsed = HandwritingFieldsSchema.safeParse(input);
    if (!parsed.success) throw fromZodError(parsed.error, input, '');
    const target = parsed.data.target.normalize('NFC');
    const analyze: AttemptCall<Handwriting> = (provider, call) =>
      ctx.executor.adapterFor<HandwritingAdapter>(provider, 'handwriting').analyze({ data: file.data, filename: file.filename, mimetype: file.mimetype, target }, call);
    const result = await routed(request, reply, 'vision', () => ctx.executor.run('vision', studentId, analyze, clientWatch(reply)));
    markRouted(request, reply, 'vision', result.provider, result.route, result.upstreamMs);
    const h = result.value;
    if (ctx.shadow?.wants('vision', result.route)) ctx.shadow.offer(reply, 'vision', { call: analyze, compare: (production) => compareHandwriting(target, h, production) });
    const verdict = handwritingVerdict(target, h.text, h.confidence);
    const body: HandwritingResponse = {
      text: h.text,
      confidence: h.confidence,
      boxes: h.boxes,
      target,
      verdict,
      // The provider's advice only when it agrees with our verdict (EasyOCR gives none).
      advice: h.advice && h.match === (verdict === 'correct') ? h.advice : adviceFor(verdict, target),
      provider: result.provider,
    };
    return body;
  });
}

function adviceFor(verdict: HandwritingVerdict, target: string): string {
  if (verdict === 'correct') return `Bravo, c'est bien un ${target} !`;
  if (verdict === 'unreadable') return `Je n'arrive pas à lire ta lettre : écris un ${target} bien grand.`;
  return `Presque ! Regarde bien le modèle et écris encore un ${target}.`;
}
