// POST /v1/chat/completions, OpenAI's shape: plain JSON, or server-sent events with `stream: true`.
// A stream fails over only before its first event reaches the client; if it breaks after that, the client
// gets one `data: {"error":…}` event and the stream closes (never a silent truncation, never a replay).
import { errorBody, STREAM_DONE, type ChatCompletionChunk, type ChatCompletionRequest, type ChatCompletionResponse } from '@bascule/contracts';
import { classifyFailure } from '@bascule/routing';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatAdapter, ChatStream } from '../adapters/index.ts';
import { clientWatch } from '../http/client-signal.ts';
import { mediaTypeHook } from '../http/media.ts';
import { readStudentId } from '../http/student.ts';
import { parseChatRequest } from './chat-request.ts';
import { identifyStudent, markRouted, requireComponent, routed, type RouteContext } from './context.ts';
import { failureKindText } from '../proxy/failure-text.ts';
import type { AttemptCall } from '../proxy/index.ts';
import { compareChat } from '../shadow/index.ts';

interface OpenedStream {
  stream: ChatStream;
  iterator: AsyncIterator<ChatCompletionChunk>;
  first: IteratorResult<ChatCompletionChunk>;
}

export function registerChat(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/chat/completions', { bodyLimit: ctx.config.server.bodyLimits.jsonBytes, onRequest: mediaTypeHook('json') }, async (request, reply) => {
    requireComponent(ctx.config, 'llm');
    const body = parseChatRequest(request.body);
    const studentId = readStudentId(request.headers['x-student-id'], body.user);
    identifyStudent(request, ctx, 'llm', studentId);
    return body.stream ? streamChat(request, reply, ctx, body, studentId) : completeChat(request, reply, ctx, body, studentId);
  });
}

async function completeChat(request: FastifyRequest, reply: FastifyReply, ctx: RouteContext, body: ChatCompletionRequest, studentId: string) {
  const complete: AttemptCall<ChatCompletionResponse> = (provider, call) => ctx.executor.adapterFor<ChatAdapter>(provider, 'chat').complete(body, call);
  const result = await routed(request, reply, 'llm', () => ctx.executor.run('llm', studentId, complete, clientWatch(reply)));
  markRouted(request, reply, 'llm', result.provider, result.route, result.upstreamMs);
  // Streamed answers are not shadowed: the whole answer is known only once the stream has ended.
  if (ctx.shadow?.wants('llm', result.route)) ctx.shadow.offer(reply, 'llm', { call: complete, compare: (production) => compareChat(body, result.value, production) });
  return { ...result.value, model: body.model ?? result.value.model };
}

async function streamChat(request: FastifyRequest, reply: FastifyReply, ctx: RouteContext, body: ChatCompletionRequest, studentId: string) {
  const client = clientWatch(reply);
  const result = await routed(request, reply, 'llm', () =>
    ctx.executor.runStreaming<OpenedStream>(
      'llm',
      studentId,
      async (provider, call) => {
        const stream = await ctx.executor.adapterFor<ChatAdapter>(provider, 'chat').stream(body, call);
        try {
          // The first event must arrive before we commit to this provider: until then we may fail over.
          const iterator = stream.chunks[Symbol.asyncIterator]();
          const first = await iterator.next();
          stream.started();
          return { value: { stream, iterator, first }, usage: stream.usage() };
        } catch (error) {
          stream.close();
          throw error;
        }
      },
      client,
    ),
  );
  const headers = markRouted(request, reply, 'llm', result.provider, result.route, result.upstreamMs);
  const { stream, iterator, first } = result.value;
  const model = body.model;
  const raw = reply.hijack().raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  const send = (data: string) => raw.write(`data: ${data}\n\n`);
  const relay = (chunk: ChatCompletionChunk) => send(JSON.stringify(model ? { ...chunk, model } : chunk));
  let finished = false;
  let clientGone = false;
  raw.on('close', () => {
    if (!finished) clientGone = true;
    stream.close();
  });
  try {
    let next = first;
    while (!next.done) {
      relay(next.value);
      next = await iterator.next();
    }
    send(STREAM_DONE);
    finished = true;
    result.pending.finish(true, undefined, stream.usage());
  } catch (error) {
    finished = true;
    if (clientGone) {
      // The child closed the page: not the provider's failure, nothing left to tell anyone.
      result.pending.finish(true, undefined, stream.usage());
      return;
    }
    // After the first byte there is no failover: tell the client explicitly, then close.
    const failure = classifyFailure(error);
    request.log.warn({ provider: result.provider, failure: failure.kind }, 'upstream stream broke after its first event');
    if (!raw.destroyed) send(JSON.stringify(errorBody('upstream_failed', `the ${result.provider} stream broke: ${failureKindText(failure)}`, { component: 'llm' })));
    result.pending.finish(false, failure);
  } finally {
    raw.end();
  }
}
