// llama.cpp's `timings` as the service time of the self-hosted LLM (`vps-llm` sends no busy header): the
// parser, the one-sample-per-answer rule (the header first), and the chat adapter at the wire against a tiny
// scripted upstream, plain and streamed; a paid API's `timings`-looking field is never read.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_BUSY_HEADER } from '@bascule/contracts';
import type { ProviderId } from '@bascule/routing';
import { createOpenAiChatAdapter, type ProviderSettings } from '../src/adapters/index.ts';
import { HostPool } from '../src/adapters/hosts.ts';
import { AnswerBusy, llamaComputeMs, measuredService, ServiceTimeMeter, timingsOf } from '../src/capacity/index.ts';

/** llama.cpp's timings object (tools/server/server-task.cpp), as `llama-server` sends it. */
const timings = (promptMs: number, predictedMs: number) => ({
  cache_n: 0,
  prompt_n: 12,
  prompt_ms: promptMs,
  prompt_per_token_ms: promptMs / 12,
  prompt_per_second: 12_000 / promptMs,
  predicted_n: 40,
  predicted_ms: predictedMs,
  predicted_per_token_ms: predictedMs / 40,
  predicted_per_second: 40_000 / predictedMs,
});

describe('llamaComputeMs', () => {
  it('is prompt_ms + predicted_ms', () => {
    expect(llamaComputeMs(timings(31.5, 812.25))).toBe(843.75);
    expect(llamaComputeMs({ prompt_ms: 0, predicted_ms: 0 })).toBe(0);
  });

  it.each([
    ['no object', undefined],
    ['null', null],
    ['a number', 12],
    ['prompt_ms missing', { predicted_ms: 10 }],
    ['predicted_ms a string', { prompt_ms: 1, predicted_ms: '10' }],
    ['a negative time', { prompt_ms: -1, predicted_ms: 10 }],
    ['an infinite time', { prompt_ms: 1, predicted_ms: Number.POSITIVE_INFINITY }],
  ])('is no time for %s', (_label, value) => {
    expect(llamaComputeMs(value)).toBeUndefined();
  });

  it('reads `timings` off an object only', () => {
    expect(timingsOf({ timings: { prompt_ms: 1 } })).toEqual({ prompt_ms: 1 });
    expect(timingsOf(null)).toBeUndefined();
    expect(timingsOf('text')).toBeUndefined();
  });
});

describe('AnswerBusy', () => {
  it("takes the header's sample and then ignores the body's timings", () => {
    const meter = new ServiceTimeMeter(1);
    const busy = new AnswerBusy(meter);
    busy.record(500);
    busy.recordTimings(timings(10, 20));
    expect(meter.snapshot()).toEqual({ meanMs: 500, samples: 1 });
  });

  it('takes the timings when no header gave a sample, once', () => {
    const meter = new ServiceTimeMeter(1);
    const busy = new AnswerBusy(meter);
    busy.record(Number.NaN); // a garbled header is no sample
    busy.recordTimings({ prompt_ms: 'x', predicted_ms: 1 }); // nor are garbled timings
    busy.recordTimings(timings(10, 20));
    busy.recordTimings(timings(100, 200));
    expect(meter.snapshot()).toEqual({ meanMs: 30, samples: 1 });
  });
});

// ---- the chat adapter at the wire ----------------------------------------------------------------------

interface Script {
  /** X-Bascule-Busy-Ms, when the upstream sends it (a proxy in front of llama.cpp). */
  header?: string;
  plain?: unknown;
  /** The `data:` payloads of a stream; `[DONE]` is added unless `cut`. */
  events?: unknown[];
  cut?: boolean;
}

let script: Script = {};
let server: Server;
let base: string;

function answer(res: ServerResponse): void {
  const headers: Record<string, string> = script.header === undefined ? {} : { [SERVICE_BUSY_HEADER]: script.header };
  if (script.events) {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    for (const event of script.events) res.write(`data: ${JSON.stringify(event)}\n\n`);
    res.end(script.cut ? '' : 'data: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(script.plain));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ctx = { timeoutMs: 2_000 };
const question = { messages: [{ role: 'user' as const, content: 'Bonjour' }] };
const base0 = { id: 'chatcmpl-1', created: 1_764_000_000, model: 'llama-3.1-8b-instruct-q4_k_m.gguf', system_fingerprint: 'b7000' };
const usage = { completion_tokens: 40, prompt_tokens: 12, total_tokens: 52 };
const plainAnswer = (extra: Record<string, unknown>) => ({ choices: [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', content: 'Le chat dort.' } }], ...base0, object: 'chat.completion', usage, ...extra });
const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({ choices: [{ finish_reason: finish, index: 0, delta }], ...base0, object: 'chat.completion.chunk', ...extra });
/** llama.cpp's stream with `include_usage`: the role, the words, the finish chunk, the usage chunk with the timings. */
const llamaStream = (t: unknown) => [
  chunk({ role: 'assistant', content: null }, null),
  chunk({ content: 'Le chat' }, null),
  chunk({ content: ' dort.' }, null),
  chunk({}, 'stop'),
  { choices: [], ...base0, object: 'chat.completion.chunk', usage, timings: t },
];

function adapterFor(id: ProviderId): { pool: HostPool; adapter: ReturnType<typeof createOpenAiChatAdapter> } {
  const pool = new HostPool(id, [base]);
  const settings: ProviderSettings = { id, baseUrl: base, model: undefined, voice: undefined, apiKey: undefined, timeoutMs: 2_000, hosts: pool };
  return { pool, adapter: createOpenAiChatAdapter(settings) };
}

async function drain(stream: Awaited<ReturnType<ReturnType<typeof createOpenAiChatAdapter>['stream']>>): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  try {
    for await (const c of stream.chunks) seen.push(c as unknown as Record<string, unknown>);
  } finally {
    stream.close();
  }
  return seen;
}

describe('vps-llm: the service time from llama.cpp’s timings', () => {
  it('a plain answer feeds prompt_ms + predicted_ms to its host', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { plain: plainAnswer({ timings: timings(25, 775) }) };
    const { value } = await adapter.complete(question, ctx);
    expect(value.choices[0]!.message.content).toBe('Le chat dort.');
    expect(measuredService(pool)).toMatchObject({ serviceMs: 800, samples: 1 });
  });

  it('a busy header, when a proxy adds one, is the sample instead (one per answer)', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { header: '640', plain: plainAnswer({ timings: timings(25, 775) }) };
    await adapter.complete(question, ctx);
    script = { header: '640', events: llamaStream(timings(25, 775)) };
    await drain(await adapter.stream(question, ctx));
    expect(measuredService(pool)).toMatchObject({ serviceMs: 640, samples: 2 });
  });

  it('a stream feeds the timings of its last chunk once complete, and passes no `timings` on to the client', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { events: llamaStream(timings(40, 1_060)) };
    const stream = await adapter.stream(question, ctx);
    const seen: Record<string, unknown>[] = [];
    for await (const c of stream.chunks) {
      // Not counted before [DONE]: the last chunk has been passed on, the answer is not yet complete.
      if ((c as { usage?: unknown }).usage) expect(measuredService(pool).samples).toBe(0);
      seen.push(c as unknown as Record<string, unknown>);
    }
    stream.close();
    expect(seen.map((c) => (c.choices as { delta: { content?: string | null } }[])[0]?.delta.content ?? '').join('')).toBe('Le chat dort.');
    expect(seen.some((c) => 'timings' in c)).toBe(false);
    expect(measuredService(pool)).toMatchObject({ serviceMs: 1_100, samples: 1 });
  });

  it('with `timings_per_token` (running totals on every chunk), the last totals are the sample', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { events: [chunk({ role: 'assistant', content: null }, null, { timings: timings(40, 10) }), chunk({ content: 'Le chat' }, null, { timings: timings(40, 500) }), chunk({}, 'stop', { timings: timings(40, 960) })] };
    await drain(await adapter.stream(question, ctx));
    expect(measuredService(pool)).toMatchObject({ serviceMs: 1_000, samples: 1 });
  });

  it('a stream cut before [DONE] is no sample', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { events: llamaStream(timings(40, 1_060)), cut: true };
    await expect(drain(await adapter.stream(question, ctx))).rejects.toThrow(/before \[DONE\]/);
    expect(measuredService(pool).samples).toBe(0);
  });

  it('answers without timings (another OpenAI-compatible server) are no sample', async () => {
    const { pool, adapter } = adapterFor('vps-llm');
    script = { plain: plainAnswer({}) };
    await adapter.complete(question, ctx);
    script = { events: llamaStream(undefined) };
    await drain(await adapter.stream(question, ctx));
    expect(measuredService(pool).samples).toBe(0);
  });
});

describe.each(['groq', 'huggingface'] as const)('%s (a paid API)', (id) => {
  it('never reads a `timings`-looking field, plain or streamed', async () => {
    const { pool, adapter } = adapterFor(id);
    script = { plain: plainAnswer({ timings: timings(25, 775) }) };
    await adapter.complete(question, ctx);
    script = { events: llamaStream(timings(40, 1_060)) };
    const seen = await drain(await adapter.stream(question, ctx));
    expect(seen.length).toBe(5);
    expect(measuredService(pool)).toMatchObject({ serviceMs: null, samples: 0, perHost: [{ serviceMs: null, samples: 0 }] });
  });
});
