// OpenAI-compatible chat completions: Hugging Face's router (`/v1`), Groq (`/openai/v1`) and llama.cpp's
// server on the VPS (`/v1`). Plain JSON or server-sent events; usage (tokens) from the response, or from the
// last chunk (we ask for it with `stream_options.include_usage`). llama.cpp's answers also say how long the
// model computed (`timings`): for a host we run, that is its service time when no busy header says it.
import { ChatCompletionChunkSchema, type ChatCompletionChunk, type ChatCompletionRequest } from '@bascule/contracts';
import type { ProviderId, Usage } from '@bascule/routing';
import { AnswerBusy } from '../capacity/answer-busy.ts';
import { timingsOf } from '../capacity/llama-timings.ts';
import { parseChatCompletion } from './chat-response.ts';
import { onHost, poolOf, type Host } from './hosts.ts';
import { bearer, callJson, callUpstream, UpstreamProtocolError, type UpstreamRequest, type UpstreamResponse } from './http.ts';
import { sseData } from './sse.ts';
import type { CallContext, ChatAdapter, ChatStream, ProviderSettings } from './types.ts';

const PREFIX: Partial<Record<ProviderId, string>> = { huggingface: '/v1', groq: '/openai/v1', 'vps-llm': '/v1' };
const DEFAULT_MODEL: Partial<Record<ProviderId, string>> = { huggingface: 'meta-llama/Llama-3.1-8B-Instruct', groq: 'llama-3.1-8b-instant' };

/** The client's sampling fields passed on as they are. */
const PASSED_ON = ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'response_format'] as const;

/** The body sent upstream: the client's request less the gateway's own fields, with the provider's model. */
function upstreamBody(request: ChatCompletionRequest, model: string | undefined, stream: boolean): string {
  const body: Record<string, unknown> = { messages: request.messages, stream };
  if (model) body.model = model;
  for (const key of PASSED_ON) {
    if (request[key] !== undefined) body[key] = request[key];
  }
  if (stream) body.stream_options = { include_usage: true };
  return JSON.stringify(body);
}

function tokens(usage: { total_tokens?: number; prompt_tokens?: number; completion_tokens?: number } | null | undefined): Usage {
  if (!usage) return { tokens: 0 };
  return { tokens: usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0) };
}

/**
 * A plain completion. On a host we run, its compute time: the busy header, else llama.cpp's `timings` of
 * the body already parsed; a paid API's call is the bare `callJson` (no sink, nothing read).
 */
function completeOn(host: Host, req: UpstreamRequest): Promise<unknown> {
  if (!host.service) return callJson<unknown>(req);
  const busy = new AnswerBusy(host.service);
  req.busy = busy;
  return callJson<unknown>(req).then((raw) => {
    busy.recordTimings(timingsOf(raw));
    return raw;
  });
}

export function createOpenAiChatAdapter(settings: ProviderSettings): ChatAdapter {
  const hosts = poolOf(settings);
  const path = `${PREFIX[settings.id] ?? '/v1'}/chat/completions`;
  const model = settings.model ?? DEFAULT_MODEL[settings.id];
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...bearer(settings.apiKey) };
  const timeoutOf = (ctx: CallContext) => Math.min(ctx.timeoutMs, settings.timeoutMs);

  return {
    kind: 'chat',
    provider: settings.id,
    async complete(request, ctx) {
      const body = upstreamBody(request, model, false);
      const timeoutMs = timeoutOf(ctx);
      const raw = await onHost(hosts, ctx, (host) => completeOn(host, { method: 'POST', url: host.url(path), dispatcher: host.agent, headers, body, timeoutMs, signal: ctx.signal }));
      const parsed = parseChatCompletion(raw);
      if (!parsed.ok) throw new UpstreamProtocolError(`${settings.id}: not a chat completion (${parsed.message})`);
      return { value: parsed.value, usage: tokens(parsed.value.usage) };
    },
    async stream(request, ctx): Promise<ChatStream> {
      // The attempt's deadline bounds the time to the first event; after it, only the gap between events.
      const firstEvent = new AbortController();
      const timer = setTimeout(() => firstEvent.abort(new DOMException('no first event before the deadline', 'TimeoutError')), Math.max(1, ctx.timeoutMs));
      const signal = ctx.signal ? AbortSignal.any([firstEvent.signal, ctx.signal]) : firstEvent.signal;
      // The host's call lasts until the stream is closed (its outstanding count); a failure to open it counts against it.
      const host = hosts.acquire();
      // A host we run: its compute time from the busy header, else from the `timings` of the chunks.
      const busy = host.service ? new AnswerBusy(host.service) : undefined;
      let released = false;
      const release = (error: unknown) => {
        if (released) return;
        released = true;
        hosts.release(host, error, ctx.signal);
      };
      let response: UpstreamResponse;
      try {
        response = await callUpstream({
          method: 'POST',
          url: host.url(path),
          dispatcher: host.agent,
          headers: { ...headers, accept: 'text/event-stream' },
          body: upstreamBody(request, model, true),
          timeoutMs: timeoutOf(ctx),
          signal,
          streaming: true,
          busy,
        });
      } catch (error) {
        clearTimeout(timer);
        release(error);
        throw error;
      }
      let usage: Usage = { tokens: 0 };
      async function* chunks(): AsyncGenerator<ChatCompletionChunk> {
        let done = false;
        // llama.cpp's last `timings` (the final chunk's; running totals before it with `timings_per_token`),
        // counted once the stream is complete. Only a host we run looks: one field of a chunk already parsed.
        let timings: unknown;
        for await (const data of sseData(response.body)) {
          if (data.trim() === '[DONE]') {
            done = true;
            busy?.recordTimings(timings);
            break;
          }
          let json: unknown;
          try {
            json = JSON.parse(data);
          } catch {
            throw new UpstreamProtocolError(`${settings.id}: malformed stream event`);
          }
          if ((json as { error?: unknown }).error !== undefined) throw new UpstreamProtocolError(`${settings.id}: error event in the stream`);
          const chunk = ChatCompletionChunkSchema.safeParse(json);
          if (!chunk.success) throw new UpstreamProtocolError(`${settings.id}: not a chat completion chunk`);
          if (chunk.data.usage) usage = tokens(chunk.data.usage);
          if (busy) timings = timingsOf(json) ?? timings;
          yield chunk.data;
        }
        // A stream that ends without [DONE] was cut: say so rather than pass on a silent truncation.
        if (!done) throw new UpstreamProtocolError(`${settings.id}: stream ended before [DONE]`);
      }
      const body = response.body;
      return {
        chunks: chunks(),
        usage: () => usage,
        started: () => clearTimeout(timer),
        close: () => {
          clearTimeout(timer);
          release(null);
          response.done();
          body.destroy();
        },
      };
    },
  };
}
