import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../src/app.ts';
import { SqliteStore } from '../src/store/index.ts';
import { testConfig } from './helpers.ts';

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new ones, and closes the store', async () => {
    const gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    gw.app.get('/test/slow', async () => {
      started();
      await released;
      return { finished: true };
    });
    const url = await gw.app.listen({ host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${url}/test/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await hasStarted;
    const closing = gw.close();
    // A new request is refused: no new connection, or 503 on a kept-alive one.
    const late = await fetch(`${url}/readyz`).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { finished: true } });
    await closing;
    expect(gw.store.open).toBe(false);
  });

  it('writes the rollups of a request that finished while closing, after it finished, then closes the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-shutdown-'));
    const storePath = join(dir, 'bascule.db');
    const gw = await createGateway({ loaded: testConfig(), storePath, logger: false, analysisLoop: false, dashboardDir: null });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    gw.app.get('/test/slow', async () => {
      started();
      await released;
      // What the request path does when an upstream call ends.
      gw.runtime.recordAttempt({ at: Date.now(), component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 900, ok: true, costEur: 0 });
      return { finished: true };
    });
    const url = await gw.app.listen({ host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${url}/test/slow`).then((r) => r.status);
    await hasStarted;
    const closing = gw.close();
    release();
    expect(await inFlight).toBe(200);
    await closing;
    const reopened = new SqliteStore(storePath);
    expect((await reopened.rollupsSince(0, 'stt')).map((r) => [r.provider, r.count])).toEqual([['faster-whisper', 1]]);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
