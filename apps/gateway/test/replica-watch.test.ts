// "A gateway replica down" reaches a person: two gateways on one PostgreSQL database, each heartbeating
// its name and address; the one holding the lease watches the other's heartbeats. A replica cut off from
// the database (as its host going away looks from there) is notified down once, to a local webhook
// receiver, and back once when its heartbeats resume; one that shuts down cleanly is gone, not down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway } from '../src/app.ts';
import { ADMIN_TOKEN, labConfig } from './support/public-stack.ts';
import { createPostgresDatabase } from './support/test-databases.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { httpReceiver, type HttpReceiver } from './notify/receivers.ts';
import type { Gateway } from '../src/app.ts';

interface Replica {
  url: string;
  gateway: Gateway;
  proxy: TcpProxy;
  close(): Promise<void>;
}

let lab: Lab;
let hook: HttpReceiver;
let databaseUrl: string;
let drop: () => Promise<void>;
let a: Replica;
let b: Replica;

async function replica(id: string): Promise<Replica> {
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const loaded = labConfig(lab, (l) => {
    l.config.store.connectTimeoutMs = 500;
    l.config.store.queryTimeoutMs = 1_000;
    l.config.store.replicas = { heartbeatMs: 200, downAfterMs: 1_000 };
    l.config.notifications = { channels: [{ type: 'webhook', url: `${hook.url}/ops`, minSeverity: 'warning' }], timeoutMs: 2_000, retries: 0, backoffMs: 1, criticalDebounceMs: 0 };
  });
  const started = await startGateway({ loaded, databaseUrl: proxy.via(databaseUrl), logger: false, analysisLoop: false, replicaWatch: true, replicaId: id, dashboardDir: null });
  return { ...started, proxy, close: async () => (await started.close(), await proxy.close()) };
}

async function until(what: string, withinMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const told = (type: string) => hook.received.map((r) => r.body as { type: string; title: string; facts?: Record<string, string> }).filter((n) => n.type === type);
const replicas = async (r: Replica) =>
  ((await (await fetch(`${r.url}/admin/v1/replicas`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { replicas: { id: string; address: string | null; self: boolean; status: string }[] }).replicas;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  hook = await httpReceiver({ status: 200 });
  const db = await createPostgresDatabase();
  databaseUrl = db.url;
  drop = db.drop;
  a = await replica('gw-a');
  await until('gw-a leads', 5_000, () => a.gateway.lease.held);
  b = await replica('gw-b');
}, 30_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await hook?.close();
  await lab?.close();
  await drop?.();
});

describe('replica registry and down notification', () => {
  it('lists both replicas with their addresses, and names itself in /healthz', async () => {
    await until('both listed', 3_000, async () => (await replicas(b)).length === 2);
    const list = await replicas(b);
    expect(list.map((r) => [r.id, r.address, r.self, r.status])).toEqual([
      ['gw-a', a.url, false, 'up'],
      ['gw-b', b.url, true, 'up'],
    ]);
    expect(await (await fetch(`${a.url}/healthz`)).json()).toMatchObject({ replica: 'gw-a' });
  });

  it('notifies once when a replica stops heartbeating, and once when it is back; only the leader tells', async () => {
    b.proxy.cut();
    await until('gw-b notified down', 8_000, () => told('bascule.replica-down').length === 1);
    expect(told('bascule.replica-down')[0]).toMatchObject({ title: 'gateway replica gw-b is down', facts: { replica: 'gw-b', address: b.url } });
    expect((await replicas(a)).find((r) => r.id === 'gw-b')?.status).toBe('down');
    // Still silent: no second message.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(told('bascule.replica-down')).toHaveLength(1);
    b.proxy.restore();
    await until('gw-b notified back', 8_000, () => told('bascule.replica-up').length === 1);
    expect(told('bascule.replica-up')[0]!.title).toBe('gateway replica gw-b is back');
    expect(told('bascule.replica-down')).toHaveLength(1);
    expect(b.gateway.lease.held).toBe(false);
  }, 20_000);

  it('says nothing of a replica that shuts down cleanly: it leaves the list', async () => {
    await b.close();
    await until('gw-b gone from the list', 3_000, async () => (await replicas(a)).every((r) => r.id !== 'gw-b'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(told('bascule.replica-down')).toHaveLength(1);
    b = undefined as unknown as Replica;
  }, 10_000);
});
