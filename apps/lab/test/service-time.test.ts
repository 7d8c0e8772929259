// The service time the self-hosted stand-ins report (`X-Bascule-Busy-Ms`, or llama.cpp's `timings` for
// vps-llm), and the control API that sets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUSY_MS, startLab, type Lab } from '../src/index.ts';
import { call, postJson, sseData } from './helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 3 });
});
afterAll(async () => {
  await lab.close();
});

const putService = async (name: string, body: unknown) => {
  const answer = await call(`${lab.controlUrl}/lab/v1/upstreams/${name}/service`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: answer.status, body: answer.json() };
};

const synthesize = () => postJson(`${lab.upstreams.coqui.baseUrl}/synthesize`, { text: 'la lune', voice: 'fr-female-clear', speed: 1 });

describe('service time of the self-hosted stand-ins', () => {
  it('reports a realistic default per model on each successful answer', async () => {
    const answer = await synthesize();
    expect(answer.status).toBe(200);
    expect(answer.headers['x-bascule-busy-ms']).toBe(String(DEFAULT_BUSY_MS.coqui));
    expect(lab.state().find((u) => u.name === 'faster-whisper')!.busyMs).toBe(DEFAULT_BUSY_MS['faster-whisper']);
    // A paid API's stand-in reports none.
    expect(lab.state().find((u) => u.name === 'groq')!.busyMs).toBeUndefined();
  });

  it('takes a new one through the control API, reported from the next answer on', async () => {
    const set = await putService('coqui', { busyMs: 912.5 });
    expect(set).toMatchObject({ status: 200, body: { name: 'coqui', busyMs: 912.5 } });
    expect((await synthesize()).headers['x-bascule-busy-ms']).toBe('912.5');
    lab.setService('coqui', { busyMs: DEFAULT_BUSY_MS.coqui! });
    expect((await synthesize()).headers['x-bascule-busy-ms']).toBe(String(DEFAULT_BUSY_MS.coqui));
  });

  it('reports nothing on an error answer', async () => {
    const bad = await postJson(`${lab.upstreams.coqui.baseUrl}/synthesize`, { text: 'la lune', voice: 'nobody', speed: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers['x-bascule-busy-ms']).toBeUndefined();
  });

  it.each([
    [{ busyMs: -1 }, 'busyMs'],
    [{ busyMs: 'slow' }, 'busyMs'],
    [{}, 'busyMs'],
    [{ busyMs: 10, extra: 1 }, 'extra'],
  ])('rejects %j with a 400 naming %s', async (body, field) => {
    const answer = await putService('trocr', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request', field } });
  });

  it('refuses a paid API (400 naming the upstream) and an unknown name (404)', async () => {
    expect(await putService('groq', { busyMs: 10 })).toMatchObject({ status: 400, body: { error: { field: 'name' } } });
    expect(await putService('nobody', { busyMs: 10 })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(() => lab.setService('groq', { busyMs: 10 })).toThrow(/paid API/);
  });
});

describe("vps-llm: llama.cpp's timings instead of the header", () => {
  const url = () => `${lab.upstreams['vps-llm'].baseUrl}/v1/chat/completions`;
  const AUTH = { authorization: 'Bearer test-key' };
  const question = { messages: [{ role: 'user', content: 'Écris une phrase sur la lune.' }], max_tokens: 60 };
  const TIMING_KEYS = ['cache_n', 'prompt_n', 'prompt_ms', 'prompt_per_token_ms', 'prompt_per_second', 'predicted_n', 'predicted_ms', 'predicted_per_token_ms', 'predicted_per_second'];
  type Timings = Record<string, number>;
  const computeMs = (t: Timings) => t.prompt_ms! + t.predicted_ms!;

  it('puts the service time in the plain answer’s `timings`, split between prompt and answer, with no busy header', async () => {
    lab.setService('vps-llm', { busyMs: 840 });
    const answer = await postJson(url(), question, AUTH);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-bascule-busy-ms']).toBeUndefined();
    const body = answer.json<{ usage: { prompt_tokens: number; completion_tokens: number }; timings: Timings }>();
    expect(Object.keys(body.timings)).toEqual(TIMING_KEYS);
    expect(computeMs(body.timings)).toBeCloseTo(840, 9);
    expect(body.timings).toMatchObject({ prompt_n: body.usage.prompt_tokens, predicted_n: body.usage.completion_tokens });
    // A prompt token costs less than a generated one; the rates agree with the times.
    expect(body.timings.prompt_ms!).toBeLessThan(body.timings.predicted_ms!);
    expect(body.timings.predicted_per_token_ms!).toBeCloseTo(body.timings.predicted_ms! / body.timings.predicted_n!, 9);
    expect(body.timings.predicted_per_second!).toBeCloseTo((1000 * body.timings.predicted_n!) / body.timings.predicted_ms!, 9);
    lab.setService('vps-llm', { busyMs: DEFAULT_BUSY_MS['vps-llm']! });
  });

  it.each([
    ['with the usage chunk', true],
    ['without it', false],
  ])('streams `timings` on the last chunk only, %s', async (_label, includeUsage) => {
    const answer = await postJson(url(), { ...question, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }, AUTH);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-bascule-busy-ms']).toBeUndefined();
    const chunks = sseData(answer.text).slice(0, -1).map((d) => JSON.parse(d) as { choices: unknown[]; usage?: unknown; timings?: Timings });
    const carrying = chunks.filter((c) => c.timings !== undefined);
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toBe(chunks.at(-1));
    expect(carrying[0]!.usage !== undefined).toBe(includeUsage);
    expect(computeMs(carrying[0]!.timings!)).toBeCloseTo(DEFAULT_BUSY_MS['vps-llm']!, 9);
  });
});
