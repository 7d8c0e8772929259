// What only the PostgreSQL engine has: the audit log refused edits by the database itself, the lease
// ticket that fences the analysis loop's writes, the NOTIFY of each transition, and an unreachable
// database reported as "unavailable" within the configured timeouts rather than hanging.
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { defaultPlan, initialState, setWeight } from '@bascule/routing';
import { LeaseLostError, PostgresStore, STATE_CHANNEL, StoreUnavailableError, type StateNotice } from '../src/store/index.ts';
import { PostgresLease } from '../src/coordination/postgres-lease.ts';
import { createPostgresDatabase } from './support/test-databases.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const plan = defaultPlan('stt');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function database(): Promise<{ url: string; store: PostgresStore }> {
  const db = await createPostgresDatabase();
  cleanup.push(db.drop);
  const store = await PostgresStore.open({ connectionString: db.url });
  cleanup.push(() => store.close());
  return { url: db.url, store };
}

describe('PostgreSQL store', () => {
  it('refuses to edit, delete or truncate the audit log', async () => {
    const { store } = await database();
    const v = await store.initState(initialState(plan, 0), 0);
    const t = setWeight(plan, v.state, { actor: 'admin', reason: 'x', at: 1, weight: 5 });
    const { event } = await store.saveTransition(t.state, t.event, { revision: 0 });
    await expect(store.pool.query('UPDATE audit_events SET reason = $1 WHERE id = $2', ['rewritten', event.id])).rejects.toThrow(/append-only/);
    await expect(store.pool.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(store.pool.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect(await store.events({ limit: 10 })).toHaveLength(1);
  });

  it('writes a fenced transition only while its ticket holds the lease', async () => {
    const { store } = await database();
    const first = new PostgresLease({ pool: store.pool, ttlMs: 60_000, renewMs: 30_000 });
    const acquired = new Promise<void>((resolve) => first.start({ onAcquired: resolve, onLost() {} }));
    await acquired;
    const fence = first.fence()!;
    expect(fence.ticket).toBeGreaterThan(0);
    const v = await store.initState(initialState(plan, 0), 0);
    const t1 = setWeight(plan, v.state, { actor: 'analysis', reason: 'fenced', at: 1, weight: 5 });
    await store.saveTransition(t1.state, t1.event, { revision: 0, fence });

    // The lease expires (its holder stalled) and another replica takes it: the old ticket writes nothing.
    await store.pool.query('UPDATE leases SET expires_at = now() - interval \'1 second\'');
    const second = new PostgresLease({ pool: store.pool, ttlMs: 60_000, renewMs: 30_000 });
    await new Promise<void>((resolve) => second.start({ onAcquired: resolve, onLost() {} }));
    expect(second.fence()!.ticket).toBe(fence.ticket + 1);
    const t2 = setWeight(plan, t1.state, { actor: 'analysis', reason: 'stale leader', at: 2, weight: 10 });
    await expect(store.saveTransition(t2.state, t2.event, { revision: 1, fence })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.events({ limit: 10 })).map((e) => e.reason)).toEqual(['fenced']);
    await first.stop();
    await second.stop();
    expect(second.held).toBe(false);
  });

  it('announces each committed transition on its channel', async () => {
    const { url, store } = await database();
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    cleanup.push(() => listener.end());
    await listener.query(`LISTEN ${STATE_CHANNEL}`);
    const heard = new Promise<StateNotice>((resolve) => listener.on('notification', (m) => resolve(JSON.parse(m.payload!) as StateNotice)));
    const v = await store.initState(initialState(plan, 0), 0);
    const t = setWeight(plan, v.state, { actor: 'admin', reason: 'x', at: 1, weight: 5 });
    const saved = await store.saveTransition(t.state, t.event, { revision: 0 });
    expect(await heard).toEqual({ origin: store.origin, component: 'stt', revision: 1, eventId: saved.event.id });
  });

  it('reports an unreachable database as unavailable, and works again once it is back', async () => {
    const { url } = await database();
    const proxy = await startTcpProxy(new URL(url).hostname, Number(new URL(url).port || 5432));
    cleanup.push(() => proxy.close());
    const store = await PostgresStore.open({ connectionString: proxy.via(url), connectTimeoutMs: 500, queryTimeoutMs: 1_000 });
    cleanup.push(() => store.close());
    await store.addRollups([]);
    proxy.cut();
    await expect(store.rollupsSince(0)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.loadStates()).rejects.toBeInstanceOf(StoreUnavailableError);
    proxy.restore();
    expect(await store.loadStates()).toEqual([]);
  });
});
