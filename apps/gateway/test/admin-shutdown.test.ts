import { describe, expect, it } from 'vitest';
import { createGateway } from '../src/app.ts';
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
});
