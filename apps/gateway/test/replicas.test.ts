// Two gateways on one PostgreSQL database, in this process, each on its own free port and its own TCP path
// to the database (so one can lose it while the shared server keeps running): the replica semantics of the
// shared store. A change through one routes the other within 2 s; one analysis loop decides, so a rollback
// is recorded once; their rollups add up; a gateway without its database keeps routing and catches up;
// a leader that dies or leaves is replaced within 10 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import { ErrorBodySchema } from '@bascule/contracts';
import { minuteOf, type Component } from '@bascule/routing';
import { startGateway, type Gateway } from '../src/app.ts';
import { ADMIN_TOKEN, CLIENT_KEY, labConfig } from './support/public-stack.ts';
import { createPostgresDatabase } from './support/test-databases.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

interface Replica {
  url: string;
  gateway: Gateway;
  proxy: TcpProxy;
  close(): Promise<void>;
}

let lab: Lab;
let drop: () => Promise<void>;
let a: Replica;
let b: Replica;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

async function replica(databaseUrl: string): Promise<Replica> {
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const loaded = labConfig(lab, (l) => {
    l.config.store.connectTimeoutMs = 500;
    l.config.store.queryTimeoutMs = 1_000;
  });
  const { url, gateway, close } = await startGateway({ loaded, databaseUrl: proxy.via(databaseUrl), logger: false, analysisLoop: false, dashboardDir: null });
  return { url, gateway, proxy, close: async () => (await close(), await proxy.close()) };
}

/** Polls `check` until it holds; fails naming `what` once `withinMs` has passed. */
async function until(what: string, withinMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const chat = (r: Replica, student: string) =>
  fetch(`${r.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': student },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Une phrase.' }] }),
    signal: AbortSignal.timeout(10_000),
  });

async function storedCount(r: Replica, component: Component, since: number): Promise<number> {
  return (await r.gateway.store.rollupsSince(since, component)).reduce((n, x) => n + x.count, 0);
}

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  const db = await createPostgresDatabase();
  drop = db.drop;
  a = await replica(db.url);
  await until('the first gateway leads', 5_000, () => a.gateway.lease.held);
  b = await replica(db.url);
}, 30_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await lab?.close();
  await drop?.();
});

describe('two gateways on one PostgreSQL database', () => {
  it('one leads the analysis loop, the other follows', () => {
    expect(a.gateway.lease.held).toBe(true);
    expect(b.gateway.lease.held).toBe(false);
  });

  it('routes a weight change made through one on the other’s next requests within 2 s', async () => {
    const before = await chat(b, 'eleve-1');
    expect(before.headers.get('x-bascule-route')).toBe('mvp');
    const res = await fetch(`${a.url}/admin/v1/components/llm/weight`, { method: 'PUT', headers: admin, body: JSON.stringify({ weight: 100, reason: 'all of llm', override: { reason: 'test setup: exposure chosen by the test' } }) });
    expect(res.status).toBe(200);
    await until('gateway B routes llm to production', 2_000, async () => (await chat(b, 'eleve-1')).headers.get('x-bascule-route') === 'production');
    expect(b.gateway.runtime.state('llm').weight).toBe(100);
  });

  it('streams a change made through one gateway to the other’s admin stream', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${b.url}/admin/v1/stream`, { headers: { authorization: admin.authorization }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    const heard = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        text += new TextDecoder().decode(value);
        if (/event: event\ndata: .*"reason":"from gateway A"/.test(text)) return true;
      }
    })();
    const res = await fetch(`${a.url}/admin/v1/components/tts/weight`, { method: 'PUT', headers: admin, body: JSON.stringify({ weight: 5, reason: 'from gateway A', override: { reason: 'test setup: exposure chosen by the test' } }) });
    expect(res.status).toBe(200);
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000));
    const got = await Promise.race([heard, timeout]);
    controller.abort();
    expect(got, 'the audit event on gateway B’s stream within 2 s').toBe(true);
  });

  it('decides a rollback once and records it once, though both gateways analyse', async () => {
    await a.gateway.runtime.setWeight('stt', 50, 'half of stt', 'admin', { reason: 'test setup: exposure chosen by the test' });
    await until('gateway B sees stt at 50 %', 2_000, () => b.gateway.runtime.state('stt').weight === 50);
    const at = Date.now();
    for (const r of [a, b]) {
      for (let i = 0; i < 40; i++) r.gateway.runtime.recordAttempt({ at, component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 100, ok: false, failure: 'status', status: 503, costEur: 0 });
    }
    const rounds = a.gateway.runtime.plan('stt').rollbackAfterEvaluations + 2;
    for (let i = 0; i < rounds; i++) await Promise.all([a.gateway.runtime.tick(), b.gateway.runtime.tick()]);
    const rollbacks = (await b.gateway.store.events({ component: 'stt', limit: 50 })).filter((e) => e.action === 'rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ actor: 'analysis', to: { status: 'rollback', weight: 0 } });
    await until('gateway B routes with the rollback', 2_000, () => b.gateway.runtime.state('stt').status === 'rollback');
    // A person resumes it through the follower; the leader routes with that.
    const resumed = await fetch(`${b.url}/admin/v1/components/stt/resume`, { method: 'POST', headers: admin, body: JSON.stringify({ reason: 'fixed' }) });
    expect(resumed.status).toBe(200);
    await until('gateway A sees the resume', 2_000, () => a.gateway.runtime.state('stt').status !== 'rollback');
  });

  it('adds both gateways’ rollups into the same minutes', async () => {
    const at = Date.now();
    const since = minuteOf(at);
    await Promise.all([a.gateway.runtime.flush(), b.gateway.runtime.flush()]);
    const before = await storedCount(a, 'vision', since);
    const record = (r: Replica, n: number) => {
      for (let i = 0; i < n; i++) r.gateway.runtime.recordAttempt({ at, component: 'vision', provider: 'easyocr', route: 'mvp', latencyMs: 50, ok: true, costEur: 0.001 });
    };
    record(a, 7);
    record(b, 5);
    await Promise.all([a.gateway.runtime.flush(), b.gateway.runtime.flush()]);
    expect(await storedCount(b, 'vision', since)).toBe(before + 12);
    const minute = (await a.gateway.store.rollupsSince(since, 'vision')).filter((r) => r.minute === since && r.provider === 'easyocr');
    expect(minute).toHaveLength(1);
  });

  it('keeps routing without its database: no failed request, admin writes 503, /healthz degraded, rollups written once it is back', async () => {
    const since = minuteOf(Date.now());
    await b.gateway.runtime.flush();
    const before = await storedCount(a, 'llm', since);
    b.proxy.cut();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(b, `eleve-${i}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));

    const write = await fetch(`${b.url}/admin/v1/components/llm/weight`, { method: 'PUT', headers: admin, body: JSON.stringify({ weight: 10, reason: 'while away', override: { reason: 'test setup: exposure chosen by the test' } }) });
    expect(write.status).toBe(503);
    expect(ErrorBodySchema.parse(await write.json()).error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/store is unreachable.*last known state/) });
    const health = await (await fetch(`${b.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'degraded', store: { engine: 'postgres', ok: false, error: expect.any(String) } });
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    expect(b.gateway.runtime.state('llm').weight).toBe(100); // the last state it knew

    b.proxy.restore();
    await until('gateway B writes the rollups it kept', 10_000, async () => (await storedCount(a, 'llm', since)) === before + 20);
    expect(b.gateway.runtime.dropped.attempts).toBe(0);
    await until('gateway B says ok again', 5_000, async () => ((await (await fetch(`${b.url}/healthz`)).json()) as { status: string }).status === 'ok');
    const again = await fetch(`${b.url}/admin/v1/components/llm/weight`, { method: 'PUT', headers: admin, body: JSON.stringify({ weight: 100, reason: 'back', override: { reason: 'test setup: exposure chosen by the test' } }) });
    expect(again.status).toBe(200);
  }, 20_000);

  it('hands the analysis loop to the other gateway within 10 s when the leader dies, and at once when it leaves', async () => {
    expect(a.gateway.lease.held).toBe(true);
    a.proxy.cut(); // the leader's host is gone, as far as the database can tell
    await until('gateway B takes the lease', 10_000, () => b.gateway.lease.held);
    expect(a.gateway.lease.held).toBe(false);
    a.proxy.restore();
    await b.close(); // a graceful stop hands the lease back
    await until('gateway A takes the lease back', 3_000, () => a.gateway.lease.held);
  }, 20_000);
});
