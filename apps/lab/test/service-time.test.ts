// The service time the self-hosted stand-ins report (`X-Bascule-Busy-Ms`), and the control API that sets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BUSY_MS, startLab, type Lab } from '../src/index.ts';
import { call, postJson } from './helpers.ts';

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
