import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { costModelFromConfig, parseGatewayConfig } from '@bascule/contracts';
import { SATISFACTION_MIN_RATINGS } from '@bascule/routing';
import { Migrations, plansFromConfig, type AttemptRecord } from '../src/migration/index.ts';
import { SqliteStore as Store } from '../src/store/index.ts';
import { FakeClock, testConfig } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-runtime-'));
const received: unknown[] = [];
let hook: Server;
let hookUrl: string;
beforeAll(async () => {
  hook = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const address = hook.address() as { port: number };
  hookUrl = `http://127.0.0.1:${address.port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => hook.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function attempts(m: Migrations, clock: FakeClock, n: number, o: Partial<AttemptRecord>): void {
  for (let i = 0; i < n; i++) {
    m.recordAttempt({ at: clock.now(), component: 'llm', provider: 'groq', route: 'production', latencyMs: 120, ok: true, costEur: 0, ...o });
  }
}

function make(store: Store, clock: FakeClock, config = testConfig().config, webhookUrl?: string): Promise<Migrations> {
  return Migrations.create({ store, plans: plansFromConfig(config), clock, webhook: { url: webhookUrl, timeoutMs: 1_000 } });
}

describe('migration runtime', () => {
  it('rolls back after N critical evaluations, logs the reason and posts the webhook', async () => {
    const clock = new FakeClock();
    const store = new Store(':memory:');
    const m = await make(store, clock, undefined, hookUrl);
    await m.setWeight('llm', 50, 'half the class', 'admin', { reason: 'test setup: exposure chosen by the test' });
    attempts(m, clock, 100, {});
    await m.tick(clock.advance(5_000));
    expect(m.state('llm')).toMatchObject({ weight: 50, status: 'migrating' });

    // The production provider starts failing: error rate far above 5 %; the breaker opens too.
    attempts(m, clock, 60, { ok: false, failure: 'status', status: 503 });
    for (let i = 1; i <= 2; i++) {
      await m.tick(clock.advance(5_000));
      expect(m.state('llm').status).toBe('migrating');
      expect((await m.summary('llm')).alerts.some((a) => a.severity === 'critical' && a.evaluations === i)).toBe(true);
    }
    await m.tick(clock.advance(5_000));
    expect(m.state('llm')).toMatchObject({ weight: 0, status: 'rollback' });
    const [event] = await m.events({ limit: 1 });
    expect(event).toMatchObject({ actor: 'analysis', action: 'rollback', from: { weight: 50 }, to: { weight: 0, status: 'rollback' } });
    expect(event!.reason).toMatch(/automatic rollback after 3 consecutive critical evaluations: .*groq/);
    await m.stop();
    expect(received).toContainEqual(expect.objectContaining({ type: 'bascule.rollback', component: 'llm', provider: 'groq', reason: event!.reason }));

    // A rollback stays a rollback: more ticks do nothing.
    await m.tick(clock.advance(60_000));
    expect(m.state('llm').status).toBe('rollback');
  });

  it('keeps going when the webhook cannot be reached', async () => {
    const clock = new FakeClock();
    const m = await make(new Store(':memory:'), clock, undefined, 'http://127.0.0.1:9/unreachable');
    await m.setWeight('llm', 10, 'canary', 'admin', { reason: 'test setup: exposure chosen by the test' });
    attempts(m, clock, 50, { ok: false, failure: 'connection' });
    for (let i = 0; i < 3; i++) await m.tick(clock.advance(5_000));
    expect(m.state('llm').status).toBe('rollback');
    await expect(m.stop()).resolves.toBeUndefined();
  });

  it('times out a webhook that never answers, logs it, and never blocks the loop', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const warnings: string[] = [];
    const log = { info() {}, error() {}, warn: (obj: object, msg: string) => warnings.push(`${msg} ${JSON.stringify(obj)}`) };
    const clock = new FakeClock();
    const m = await Migrations.create({
      store: new Store(':memory:'),
      plans: plansFromConfig(testConfig().config),
      clock,
      log,
      webhook: { url: `http://127.0.0.1:${(silent.address() as { port: number }).port}/`, timeoutMs: 200 },
    });
    await m.setWeight('llm', 10, 'canary', 'admin', { reason: 'test setup: exposure chosen by the test' });
    attempts(m, clock, 50, { ok: false, failure: 'status', status: 500 });
    for (let i = 0; i < 3; i++) await m.tick(clock.advance(5_000)); // returns while the POST hangs
    expect(m.state('llm').status).toBe('rollback');
    expect(warnings).toEqual([]);
    await m.stop(); // waits for the notification to settle, i.e. for its timeout
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/webhook notification failed/);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('opens the breaker after consecutive failures and closes it after a good probe', async () => {
    const clock = new FakeClock();
    const m = await make(new Store(':memory:'), clock);
    attempts(m, clock, 5, { ok: false, failure: 'timeout' });
    expect(m.isAvailable('groq')).toBe(false);
    expect(m.isAvailable('huggingface')).toBe(true);
    clock.advance(30_000);
    expect(m.isAvailable('groq')).toBe(true); // the half-open probe
    attempts(m, clock, 1, {});
    expect(m.breakerState('groq').state).toBe('closed');
  });

  it('counts a client error as the provider answering', async () => {
    const clock = new FakeClock();
    const m = await make(new Store(':memory:'), clock);
    attempts(m, clock, 10, { ok: false, failure: 'client', status: 400 });
    expect(m.breakerState('groq').state).toBe('closed');
    expect((await m.summary('llm')).providers.production.metrics).toMatchObject({ requests: 10, errors: 0 });
  });

  it('promotes only when the plan enables it, once the step has been held and the criteria pass', async () => {
    const base = testConfig().config;
    const auto = parseGatewayConfig({
      ...base,
      components: { llm: { ...base.components.llm!, plan: { ...base.components.llm!.plan, version: 1, autoPromote: true, steps: [{ weight: 10, minDurationMs: 60_000 }, { weight: 100, minDurationMs: 0 }] } } },
    });
    const clock = new FakeClock();
    const store = new Store(':memory:');
    // Priced, so the llm cost criteria can pass: Groq at 0.0001 € a request against Hugging Face's 0.0005 €.
    const m = await Migrations.create({ store, plans: plansFromConfig(auto), clock, costModel: costModelFromConfig(auto) });
    await m.act('llm', 'promote', 'start');
    await m.recordQuality('llm', { benchmark: 'exercises', score: 0.98, samples: 100, provider: 'groq' });
    attempts(m, clock, 500, { costEur: 0.0001 });
    // The candidate's students are satisfied (the satisfaction criterion needs its ratings too).
    for (let i = 0; i < SATISFACTION_MIN_RATINGS; i += 1) m.ratings.record({ at: clock.now(), component: 'llm', provider: 'groq', route: 'production', rater: 'student', score: 9 });
    await m.tick(clock.advance(10_000));
    expect(m.state('llm').weight).toBe(10); // held 10 s of 60 s
    attempts(m, clock, 10, { costEur: 0.0001 });
    await m.tick(clock.advance(60_000));
    expect(m.state('llm')).toMatchObject({ weight: 100, step: 1 });
    expect((await m.events({ limit: 1 }))[0]).toMatchObject({ actor: 'analysis', action: 'promote' });

    const manual = await make(new Store(':memory:'), clock);
    await manual.act('llm', 'promote', 'start');
    await manual.recordQuality('llm', { benchmark: 'exercises', score: 0.98, samples: 100, provider: 'groq' });
    attempts(manual, clock, 500, {});
    await manual.tick(clock.advance(3 * 24 * 3_600_000));
    expect(manual.state('llm').weight).toBe(10);
  });

  it('survives a restart in the middle of a rollout: weight, status, log and window', async () => {
    const path = join(dir, 'restart.db');
    const clock = new FakeClock();
    const first = await make(new Store(path), clock);
    await first.act('stt', 'promote', 'step 1');
    await first.act('stt', 'promote', 'step 2', 'admin', { reason: 'test setup: exposure chosen by the test' });
    first.recordAttempt({ at: clock.now(), component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 300, ok: true, costEur: 0 });
    await first.flush();
    const before = await first.events({ limit: 10 });
    const store = (first as unknown as { store: Store }).store;
    await store.close();

    const second = await make(new Store(path), clock);
    expect(second.state('stt')).toMatchObject({ weight: 50, step: 1, status: 'migrating' });
    expect(await second.events({ limit: 10 })).toEqual(before);
    expect((await second.summary('stt')).providers.production.metrics.requests).toBe(1);
  });

  it('keeps the minutes a failed store write could not save, and writes them at the next flush', async () => {
    const clock = new FakeClock();
    const store = new Store(':memory:');
    const m = await make(store, clock);
    m.recordAttempt({ at: clock.now(), component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 300, ok: true, costEur: 0.001 });
    // A disk that fills up: the one write that cannot exist here, stood in for by a throwing call.
    const write = vi.spyOn(store, 'addRollups').mockRejectedValueOnce(new Error('SQLITE_FULL: database or disk is full'));
    await expect(m.flush()).rejects.toThrow(/SQLITE_FULL/);
    await m.flush();
    expect(write).toHaveBeenCalledTimes(2);
    const saved = await store.rollupsSince(0, 'stt');
    expect(saved.map((r) => [r.provider, r.count])).toEqual([['faster-whisper', 1]]);
  });

  it('adopts a new plan version with an event, and clears a rollback', async () => {
    const path = join(dir, 'adopt.db');
    const clock = new FakeClock();
    const first = await make(new Store(path), clock);
    await first.act('tts', 'promote', 'go');
    await first.act('tts', 'rollback', 'voice glitch');
    await (first as unknown as { store: Store }).store.close();

    const same = await make(new Store(path), clock);
    expect(same.state('tts').status).toBe('rollback'); // the same plan: the rollback persists
    await (same as unknown as { store: Store }).store.close();

    const base = testConfig().config;
    const v2 = parseGatewayConfig({ ...base, components: { ...base.components, tts: { ...base.components.tts!, plan: { ...base.components.tts!.plan, version: 2 } } } });
    const next = await make(new Store(path), clock, v2);
    expect(next.state('tts')).toMatchObject({ status: 'mvp', weight: 0, planVersion: 2 });
    expect((await next.events({ limit: 1 }))[0]).toMatchObject({ actor: 'deploy', action: 'plan-deployed', from: { status: 'rollback' } });
  });
});
