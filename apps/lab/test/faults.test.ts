// Each fault mode, seen from a client at the socket level, and the control API that sets it.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { startLab, UPSTREAM_NAMES, type Lab } from '../src/index.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 7 });
});
afterAll(async () => {
  await lab.close();
});
beforeEach(async () => {
  await lab.resetFaults();
});

const health = () => request(`${lab.upstreams['faster-whisper'].baseUrl}/health`, { headersTimeout: 5000, bodyTimeout: 5000 });

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.code ?? e.cause?.code;
  }
}

const whisperState = () => lab.state().find((s) => s.name === 'faster-whisper')!;

/** Yields real event-loop turns (I/O included) until `done()`, or rejects after `maxTurns` of them. */
async function turnsUntil(done: () => boolean, maxTurns = 100_000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`not done after ${maxTurns} turns of the event loop`);
}

async function putFault(name: string, body: unknown) {
  const response = await request(`${lab.controlUrl}/lab/v1/upstreams/${name}/fault`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    headersTimeout: 5000,
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

describe('fault modes', () => {
  it('down refuses connections, and ok reopens on the same port', async () => {
    const before = lab.upstreams['faster-whisper'].baseUrl;
    const set = await putFault('faster-whisper', { mode: 'down' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ listening: false, fault: { mode: 'down' } });
    expect(await errorCode(health())).toBe('ECONNREFUSED');
    await putFault('faster-whisper', { mode: 'ok' });
    const response = await health();
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(lab.state().find((s) => s.name === 'faster-whisper')?.baseUrl).toBe(before);
  });

  it('reset destroys the socket without an answer', async () => {
    await putFault('faster-whisper', { mode: 'reset' });
    const code = await errorCode(health());
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(code);
    expect(lab.state().find((s) => s.name === 'faster-whisper')?.resets).toBeGreaterThanOrEqual(1);
  });

  it('slow holds the answer until latencyMs has passed on the lab’s clock', async () => {
    await putFault('faster-whisper', { mode: 'slow', latencyMs: 300 });
    const before = whisperState().requests;
    // The lab waits on setTimeout: faked here, so the delay is checked on a clock the test moves, never
    // against the wall clock. Sockets, setImmediate and undici's own timers stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let answered = false;
      const pending = health().then((response) => {
        answered = true;
        return response;
      });
      // The upstream counts the request, then starts its delay timer in the same turn.
      await turnsUntil(() => whisperState().requests > before);
      vi.advanceTimersByTime(299);
      await turnsUntil(() => answered, 200).catch(() => undefined);
      expect(answered).toBe(false);
      vi.advanceTimersByTime(1);
      const response = await pending;
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('error answers 5xx in the provider’s own error shape, for every request at the default rate', async () => {
    await putFault('faster-whisper', { mode: 'error' });
    for (let i = 0; i < 10; i += 1) {
      const response = await health();
      expect([500, 503]).toContain(response.statusCode);
      const body = (await response.body.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toMatch(/internal_error|model_not_ready/);
    }
    await putFault('groq', { mode: 'error' });
    const groq = await request(`${lab.upstreams.groq.baseUrl}/openai/v1/models`, { headers: { authorization: 'Bearer k' } });
    expect(groq.statusCode).toBeGreaterThanOrEqual(500);
    expect(await groq.body.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('error with a rate fails about that share of requests', async () => {
    await putFault('faster-whisper', { mode: 'error', rate: 0.3 });
    let failed = 0;
    const total = 400;
    for (let i = 0; i < total; i += 1) {
      const response = await health();
      if (response.statusCode >= 500) failed += 1;
      await response.body.dump();
    }
    expect(failed / total).toBeGreaterThan(0.2);
    expect(failed / total).toBeLessThan(0.4);
  });

  it('a fault on one upstream leaves the others alone', async () => {
    await lab.setFault('groq', { mode: 'down' });
    const response = await health();
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });
});

describe('control API', () => {
  it('lists every upstream with its state', async () => {
    const response = await request(`${lab.controlUrl}/lab/v1/upstreams`);
    const body = (await response.body.json()) as { upstreams: { name: string; baseUrl: string; fault: { mode: string } }[] };
    expect(body.upstreams.map((u) => u.name)).toEqual([...UPSTREAM_NAMES]);
    for (const upstream of body.upstreams) {
      expect(upstream.baseUrl).toBe(lab.upstreams[upstream.name as keyof Lab['upstreams']].baseUrl);
      expect(upstream.fault.mode).toBe('ok');
    }
    expect(new Set(body.upstreams.map((u) => u.baseUrl)).size).toBe(UPSTREAM_NAMES.length);
  });

  it.each([
    [{ mode: 'broken' }, 'mode'],
    [{}, 'mode'],
    [{ mode: 'slow' }, 'latencyMs'],
    [{ mode: 'slow', latencyMs: -5 }, 'latencyMs'],
    [{ mode: 'slow', latencyMs: 1.5 }, 'latencyMs'],
    [{ mode: 'error', rate: 2 }, 'rate'],
    [{ mode: 'error', rate: 'half' }, 'rate'],
  ])('rejects %j with a 400 naming %s', async (body, field) => {
    const answer = await putFault('groq', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request', field } });
    expect(String((answer.body.error as { message: string }).message)).toContain(field);
  });

  it('rejects malformed JSON with a 400 and an unknown upstream with a 404', async () => {
    const malformed = await request(`${lab.controlUrl}/lab/v1/upstreams/groq/fault`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":' });
    expect(malformed.statusCode).toBe(400);
    expect(await malformed.body.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const unknown = await putFault('web-speech', { mode: 'down' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not_found', field: 'name' } });
  });

  it('DELETE /lab/v1/faults puts every upstream back to ok', async () => {
    await lab.setFault('trocr', { mode: 'down' });
    await lab.setFault('coqui', { mode: 'error', rate: 0.5 });
    const response = await request(`${lab.controlUrl}/lab/v1/faults`, { method: 'DELETE' });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    expect(lab.state().every((s) => s.fault.mode === 'ok' && s.listening)).toBe(true);
  });
});

describe('close', () => {
  it('closes promptly with an upstream down and a slow request in flight, freeing every port', async () => {
    const other = await startLab({ latencyScale: 0 });
    await other.setFault('groq', { mode: 'down' });
    await other.setFault('coqui', { mode: 'slow', latencyMs: 60_000 });
    const pending = errorCode(request(`${other.upstreams.coqui.baseUrl}/health`, { headersTimeout: 90_000 }));
    await vi.waitFor(() => expect(other.state().find((u) => u.name === 'coqui')?.requests).toBe(1), { timeout: 5000, interval: 10 });
    await other.close();
    expect(await pending).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    for (const upstream of Object.values(other.upstreams)) {
      expect(await errorCode(request(`${upstream.baseUrl}/health`, { headersTimeout: 2000 }))).toBe('ECONNREFUSED');
    }
    expect(await errorCode(request(`${other.controlUrl}/healthz`, { headersTimeout: 2000 }))).toBe('ECONNREFUSED');
  });
});
