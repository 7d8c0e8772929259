// OpenAI's `POST /v1/audio/transcriptions` (multipart: file, model, language, prompt, response_format,
// temperature), answering `json` `{text}`, `verbose_json` (task, language, duration, segments) or `text`.
import type { FastifyInstance } from 'fastify';
import type { UpstreamContext, UpstreamDefinition } from '../upstream.ts';
import { openAiErrorBody } from './chat.ts';
import { readMultipart, requireBearer } from './http.ts';
import { hear } from './speech.ts';

const FORMATS = ['json', 'text', 'verbose_json'] as const;
const EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const LANGUAGE_NAMES: Record<string, string> = { fr: 'french', en: 'english', de: 'german', es: 'spanish', it: 'italian' };

function register(app: FastifyInstance, ctx: UpstreamContext): void {
  app.post('/v1/audio/transcriptions', async (request, reply) => {
    if (!requireBearer(request, reply, openAiErrorBody)) return reply;
    const { files, fields } = await readMultipart(request);
    const file = files.find((f) => f.field === 'file');
    const bad = (message: string, field: string) => reply.code(400).send(openAiErrorBody(400, message, field));
    if (!file) return bad("you must provide a 'file' part", 'file');
    if (!fields.model) return bad("you must provide a 'model' field", 'model');
    const extension = file.filename.split('.').pop()?.toLowerCase() ?? '';
    if (!EXTENSIONS.includes(extension)) return bad(`Invalid file format. Supported formats: ${JSON.stringify(EXTENSIONS)}`, 'file');
    const format = fields.response_format ?? 'json';
    if (!(FORMATS as readonly string[]).includes(format)) return bad(`response_format: expected one of ${FORMATS.join(', ')} (the lab does not write srt/vtt)`, 'response_format');
    if (fields.language !== undefined && !/^[a-z]{2}$/.test(fields.language)) return bad('language: expected an ISO-639-1 code such as "fr"', 'language');
    await ctx.think();
    const heard = hear(file.data, ctx.seed, ctx.degradation());
    if (format === 'text') return reply.type('text/plain; charset=utf-8').send(`${heard.text}\n`);
    if (format === 'json') return { text: heard.text, usage: { type: 'duration', seconds: Math.ceil(heard.durationS) } };
    const language = fields.language ?? 'fr';
    return {
      task: 'transcribe',
      language: LANGUAGE_NAMES[language] ?? language,
      duration: heard.durationS,
      text: heard.text,
      segments: heard.segments.map((s, id) => ({ id, seek: 0, start: s.start, end: s.end, text: s.text, tokens: [], temperature: 0, avg_logprob: s.avg_logprob, compression_ratio: 1, no_speech_prob: s.no_speech_prob })),
      usage: { type: 'duration', seconds: Math.ceil(heard.durationS) },
    };
  });
}

export const openaiWhisper: UpstreamDefinition = { name: 'openai-whisper', errorBody: openAiErrorBody, register };
