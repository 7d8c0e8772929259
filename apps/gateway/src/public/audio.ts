// POST /v1/audio/transcriptions (OpenAI's multipart shape) and POST /v1/audio/speech (OpenAI's JSON shape;
// WAV from the production voice, or the Web Speech directive when the student's route is the browser).
import { resolveSpeechVoice, SpeechRequestSchema, SPEECH_AUDIO_CONTENT_TYPE, TranscriptionFieldsSchema } from '@bascule/contracts';
import type { FastifyInstance } from 'fastify';
import type { SpeechAdapter, SpeechInput, SpeechResult, TranscribeAdapter, Transcript } from '../adapters/index.ts';
import type { AttemptCall } from '../proxy/index.ts';
import { compareSpeech, compareTranscripts } from '../shadow/index.ts';
import { clientWatch } from '../http/client-signal.ts';
import { fromZodError } from '../http/errors.ts';
import { AUDIO_TYPES, mediaTypeHook } from '../http/media.ts';
import { readMultipartOnce } from '../http/multipart.ts';
import { readStudentId } from '../http/student.ts';
import { identifyStudent, markRouted, requireComponent, routed, type RouteContext } from './context.ts';

/** POST /audio/transcriptions: registered where the multipart parser is (the upload routes' scope). */
export function registerTranscription(app: FastifyInstance, ctx: RouteContext): void {
  const { audioBytes } = ctx.config.server.bodyLimits;
  app.post('/audio/transcriptions', { onRequest: mediaTypeHook('multipart') }, async (request, reply) => {
    requireComponent(ctx.config, 'stt');
    const studentId = readStudentId(request.headers['x-student-id']);
    identifyStudent(request, ctx, 'stt', studentId);
    const { file, fields } = await readMultipartOnce(request, { fileField: 'file', maxFileBytes: audioBytes, acceptedTypes: AUDIO_TYPES, what: 'an audio recording' });
    const parsed = TranscriptionFieldsSchema.safeParse(fields);
    if (!parsed.success) throw fromZodError(parsed.error, fields, '');
    const { language, prompt, response_format: format } = parsed.data;
    const transcribe: AttemptCall<Transcript> = (provider, call) =>
      ctx.executor.adapterFor<TranscribeAdapter>(provider, 'transcribe').transcribe({ data: file.data, filename: file.filename, mimetype: file.mimetype, language, ...(prompt ? { prompt } : {}) }, call);
    const result = await routed(request, reply, 'stt', () => ctx.executor.run('stt', studentId, transcribe, clientWatch(reply)));
    markRouted(request, reply, 'stt', result.provider, result.route, result.upstreamMs);
    const t = result.value;
    if (ctx.shadow?.wants('stt', result.route)) ctx.shadow.offer(reply, 'stt', { call: transcribe, compare: (production) => compareTranscripts(t.text, production.text) });
    if (format === 'text') return reply.type('text/plain; charset=utf-8').send(t.text);
    if (format === 'verbose_json') {
      return {
        task: 'transcribe',
        text: t.text,
        language: t.language,
        duration: t.duration,
        segments: t.segments.map((s, id) => ({ id, start: s.start, end: s.end, text: s.text, ...(s.avg_logprob !== undefined ? { avg_logprob: s.avg_logprob } : {}), ...(s.no_speech_prob !== undefined ? { no_speech_prob: s.no_speech_prob } : {}) })),
      };
    }
    return { text: t.text };
  });
}

/** POST /audio/speech: a JSON request, beside the chat route. */
export function registerSpeech(app: FastifyInstance, ctx: RouteContext): void {
  const { jsonBytes } = ctx.config.server.bodyLimits;
  app.post('/audio/speech', { bodyLimit: jsonBytes, onRequest: mediaTypeHook('json') }, async (request, reply) => {
    requireComponent(ctx.config, 'tts');
    const parsed = SpeechRequestSchema.safeParse(request.body);
    if (!parsed.success) throw fromZodError(parsed.error, request.body);
    const studentId = readStudentId(request.headers['x-student-id']);
    identifyStudent(request, ctx, 'tts', studentId);
    // Unknown voices were refused by the schema (400 naming `voice`); OpenAI's names mean the default voice.
    const { input, speed } = parsed.data;
    const voice = resolveSpeechVoice(parsed.data.voice);
    const spoken: SpeechInput = { text: input, voice, speed: speed ?? 1 };
    const synthesize: AttemptCall<SpeechResult> = (provider, call) => ctx.executor.adapterFor<SpeechAdapter>(provider, 'speech').synthesize(spoken, call);
    const result = await routed(request, reply, 'tts', () => ctx.executor.run('tts', studentId, synthesize, clientWatch(reply)));
    markRouted(request, reply, 'tts', result.provider, result.route, result.upstreamMs);
    const speech = result.value;
    if (ctx.shadow?.wants('tts', result.route)) ctx.shadow.offer(reply, 'tts', { call: synthesize, compare: (production) => compareSpeech(spoken, speech, production) });
    if (speech.kind === 'directive') return reply.type('application/json').send(speech.directive);
    return reply.type(SPEECH_AUDIO_CONTENT_TYPE).send(speech.wav);
  });
}
