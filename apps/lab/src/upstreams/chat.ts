// OpenAI-compatible chat completions, as served by Hugging Face's router (`/v1`), Groq (`/openai/v1`) and
// llama.cpp's server on the VPS (`/v1`, plus `GET /health`). Plain JSON or server-sent events
// (`data: {chunk}` … `data: [DONE]`), with usage in the final response (and in a last chunk when the client
// asks with `stream_options.include_usage`). llama.cpp's answers carry its `timings` (llama-timings.ts): the
// service time set through the control API, which llama.cpp reports there rather than in a header.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readingExercise } from '../french.ts';
import { createRng, hash32 } from '../rng.ts';
import { sleep, type UpstreamContext, type UpstreamDefinition } from '../upstream.ts';
import type { UpstreamName } from '../names.ts';
import { requireBearer } from './http.ts';
import { llamaTimings } from './llama-timings.ts';
import { degradeChat } from '../degrade.ts';

const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const MessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]),
});

function chatRequestSchema(modelRequired: boolean) {
  return z.looseObject({
    model: modelRequired ? z.string().min(1) : z.string().min(1).optional(),
    messages: z.array(MessageSchema).min(1),
    stream: z.boolean().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
  });
}
type ChatRequest = z.infer<ReturnType<typeof chatRequestSchema>>;

interface ChatFlavour {
  name: UpstreamName;
  prefix: '/v1' | '/openai/v1';
  defaultModel: string;
  modelRequired: boolean;
  /** Milliseconds between streamed tokens at latencyScale 1. */
  tokenIntervalMs: number;
  errorBody(status: number, message: string, field?: string): unknown;
  /** Provider-specific fields of the final response and chunk (Groq's x_groq, llama.cpp's timings). */
  extra?(usage: Usage, ctx: UpstreamContext): Record<string, unknown>;
  /**
   * Which chunk of a stream carries `extra`: the one with the finish reason (Groq's x_groq), or the last one,
   * the usage chunk when the client asked for it (llama.cpp puts its timings on `deltas.back()`).
   */
  extraOn?: 'finish' | 'last';
}

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

const OPENAI_ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'invalid_request_error', 404: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error', 500: 'server_error', 503: 'server_error' };

/** OpenAI's error body, which Groq and Hugging Face's router also answer with. */
export function openAiErrorBody(status: number, message: string, field?: string): unknown {
  const code = status === 401 ? 'invalid_api_key' : status === 404 ? 'unknown_url' : status === 503 ? 'service_unavailable' : status >= 500 ? 'internal_error' : 'invalid_request';
  return { error: { message, type: OPENAI_ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param: field ?? null, code } };
}

/** llama.cpp server's error body: the HTTP status is repeated as a number in `code`. */
function llamaCppErrorBody(status: number, message: string): unknown {
  const type = status === 401 ? 'authentication_error' : status === 404 ? 'not_found_error' : status === 503 ? 'unavailable_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { code: status, message, type } };
}

/** Hugging Face's router: its own auth layer answers `{"error": "<message>"}`; the chat route OpenAI's body. */
function huggingFaceErrorBody(status: number, message: string, field?: string): unknown {
  return status === 401 ? { error: 'Invalid credentials in Authorization header' } : openAiErrorBody(status, message, field);
}

const FLAVOURS: Record<'huggingface' | 'groq' | 'vps-llm', ChatFlavour> = {
  huggingface: { name: 'huggingface', prefix: '/v1', defaultModel: 'meta-llama/Llama-3.1-8B-Instruct', modelRequired: true, tokenIntervalMs: 35, errorBody: huggingFaceErrorBody },
  groq: {
    name: 'groq', prefix: '/openai/v1', defaultModel: 'llama-3.1-8b-instant', modelRequired: true, tokenIntervalMs: 4, errorBody: openAiErrorBody,
    extra: (usage) => ({ x_groq: { id: 'req_lab', usage } }),
  },
  'vps-llm': {
    name: 'vps-llm', prefix: '/v1', defaultModel: 'llama-3.1-8b-instruct-q4_k_m.gguf', modelRequired: false, tokenIntervalMs: 12, errorBody: llamaCppErrorBody,
    extra: (usage, ctx) => ({ timings: llamaTimings(usage.prompt_tokens, usage.completion_tokens, ctx.service.busyMs ?? 0) }),
    extraOn: 'last',
  },
};

function messageText(content: z.infer<typeof MessageSchema>['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => part.text ?? '').join(' ');
}

/** A rough tokenizer: about four characters per token, as for Llama's on French text. */
function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue ? issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') : 'body';
  return { field: field || 'body', message: issue ? `${field || 'body'}: ${issue.message}` : 'invalid body' };
}

/** The answer: a reading exercise determined by the seed and the conversation (same question, same answer). */
function compose(ctx: UpstreamContext, request: ChatRequest): { content: string; usage: Usage } {
  const conversation = request.messages.map((m) => `${m.role}:${messageText(m.content)}`).join('\n');
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? 256;
  const exercise = readingExercise(createRng(hash32(conversation, ctx.seed)), Math.max(1, Math.floor(maxTokens * 0.7)));
  // A degrade fault: some answers in English, some empty, at the same speed.
  const content = degradeChat(exercise, ctx.degradation());
  const prompt_tokens = countTokens(conversation);
  const completion_tokens = countTokens(content);
  return { content, usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens } };
}

function completionId(ctx: UpstreamContext): string {
  return `chatcmpl-${Math.floor(ctx.rng() * 2 ** 48).toString(36)}`;
}

async function stream(reply: FastifyReply, flavour: ChatFlavour, ctx: UpstreamContext, request: ChatRequest, model: string): Promise<void> {
  const { content, usage } = compose(ctx, request);
  const id = completionId(ctx);
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_lab' };
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let open = true;
  raw.on('close', () => { open = false; });
  const send = (payload: unknown) => { if (open) raw.write(`data: ${JSON.stringify(payload)}\n\n`); };
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
  const pieces = content.match(/\s*\S+/g) ?? [];
  for (const piece of pieces) {
    if (!open) return;
    await sleep(flavour.tokenIntervalMs * ctx.latencyScale);
    send({ ...base, choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }] });
  }
  const extra = flavour.extra?.(usage, ctx) ?? {};
  const withUsage = request.stream_options?.include_usage === true;
  const extraOnFinish = flavour.extraOn !== 'last' || !withUsage;
  send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...(extraOnFinish ? extra : {}) });
  if (withUsage) send({ ...base, choices: [], usage, ...(extraOnFinish ? {} : extra) });
  if (open) raw.end('data: [DONE]\n\n');
}

function register(flavour: ChatFlavour) {
  return (app: FastifyInstance, ctx: UpstreamContext) => {
    const schema = chatRequestSchema(flavour.modelRequired);
    app.post(`${flavour.prefix}/chat/completions`, async (request: FastifyRequest, reply: FastifyReply) => {
      if (!requireBearer(request, reply, flavour.errorBody)) return reply;
      const parsed = schema.safeParse(request.body);
      if (!parsed.success) {
        const { field, message } = firstIssue(parsed.error);
        return reply.code(400).send(flavour.errorBody(400, message, field));
      }
      const model = parsed.data.model ?? flavour.defaultModel;
      await ctx.think();
      if (parsed.data.stream) return stream(reply, flavour, ctx, parsed.data, model);
      const { content, usage } = compose(ctx, parsed.data);
      return {
        id: completionId(ctx),
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
        usage,
        system_fingerprint: 'fp_lab',
        ...(flavour.extra?.(usage, ctx) ?? {}),
      };
    });
    app.get(`${flavour.prefix}/models`, async (request, reply) => {
      if (!requireBearer(request, reply, flavour.errorBody)) return reply;
      return { object: 'list', data: [{ id: flavour.defaultModel, object: 'model', created: 1721260800, owned_by: flavour.name }] };
    });
    if (flavour.name === 'vps-llm') {
      // llama.cpp's health route: 200 {"status":"ok"} once the model is loaded (no key needed).
      app.get('/health', async () => ({ status: 'ok' }));
    }
  };
}

function chatUpstream(name: 'huggingface' | 'groq' | 'vps-llm'): UpstreamDefinition {
  const flavour = FLAVOURS[name];
  return { name, errorBody: flavour.errorBody, register: register(flavour), ...(name === 'vps-llm' ? { busyInBody: true } : {}) };
}

export const huggingface = chatUpstream('huggingface');
export const groq = chatUpstream('groq');
export const vpsLlm = chatUpstream('vps-llm');
