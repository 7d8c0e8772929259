// The GO/NO-GO criteria are judged over the current step (days of traffic), alerts over the short window;
// the cost criterion compares with the MVP's cost per request, measured or priced by the config.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ComponentSummarySchema, CriteriaResponseSchema } from '@bascule/contracts';
import type { Component, ProviderId, Route } from '@bascule/routing';
import { createGateway, type Gateway } from '../src/app.ts';
import { Migrations, plansFromConfig } from '../src/migration/index.ts';
import { mvpCostPerRequest } from '../src/migration/mvp-cost.ts';
import { StepWindows, firstWholeMinute } from '../src/migration/step-window.ts';
import { SqliteStore as Store } from '../src/store/index.ts';
import { FakeClock, adminHeaders, testConfig } from './helpers.ts';

const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'bascule-criteria-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function gateway(clock: FakeClock, storePath = ':memory:'): Promise<Gateway> {
  const gw = await createGateway({ loaded: testConfig(), storePath, clock, logger: false, analysisLoop: false, dashboardDir: null });
  gateways.push(gw);
  return gw;
}

interface Traffic {
  component: Component;
  provider: ProviderId;
  route?: Route;
  ok?: boolean;
  costEur?: number;
  latencyMs?: number;
}

function record(runtime: Migrations, at: number, n: number, t: Traffic): void {
  for (let i = 0; i < n; i++) {
    runtime.recordAttempt({ at, component: t.component, provider: t.provider, route: t.route ?? 'production', latencyMs: t.latencyMs ?? 200, ok: t.ok ?? true, costEur: t.costEur ?? 0, ...(t.ok === false ? { failure: 'status' as const, status: 503 } : {}) });
  }
}

const criterion = async (runtime: Migrations, component: Component, id: string) => (await runtime.criteria(component)).criteria.find((c) => c.id === id)!;

describe('GO/NO-GO criteria over the current step', () => {
  it('count the whole step, long after the alert window has moved on', async () => {
    const clock = new FakeClock();
    const { runtime } = await gateway(clock);
    await runtime.act('llm', 'promote', 'start the canary');
    const start = clock.now();
    record(runtime, start + MINUTE, 1_000, { component: 'llm', provider: 'groq' });
    await runtime.tick(clock.advance(30 * MINUTE));

    // The 5-minute window is empty now, but the step has 1 000 good requests.
    expect((await runtime.summary('llm')).providers.production.metrics.requests).toBe(0);
    expect(await criterion(runtime, 'llm', 'availability')).toMatchObject({ verdict: 'PASS', samples: 1_000, measured: 1 });
    expect(await criterion(runtime, 'llm', 'p95_latency')).toMatchObject({ verdict: 'PASS', samples: 1_000 });
    expect(CriteriaResponseSchema.parse(await runtime.criteria('llm')).step).toBe(0);
  });

  it('raise alerts on the short window while the criteria weigh the step', async () => {
    const clock = new FakeClock();
    const { runtime } = await gateway(clock);
    await runtime.act('llm', 'promote', 'start the canary');
    record(runtime, clock.now() + MINUTE, 1_000, { component: 'llm', provider: 'groq' });
    clock.advance(2 * 3_600_000);
    record(runtime, clock.now(), 30, { component: 'llm', provider: 'groq', ok: false });
    await runtime.tick(clock.advance(5_000));

    expect((await runtime.summary('llm')).alerts.map((a) => a.metric)).toContain('error_rate'); // 30 of 30 failed just now
    expect(await criterion(runtime, 'llm', 'availability')).toMatchObject({ verdict: 'FAIL', samples: 1_030 });
    expect((await criterion(runtime, 'llm', 'availability')).measured).toBeCloseTo(1_000 / 1_030, 6);
  });

  it('start again at each step: the previous step’s failures are not counted', async () => {
    const clock = new FakeClock();
    const { runtime } = await gateway(clock);
    await runtime.act('llm', 'promote', 'start the canary');
    record(runtime, clock.now() + MINUTE, 500, { component: 'llm', provider: 'groq', ok: false });
    await runtime.tick(clock.advance(3 * MINUTE));
    expect(await criterion(runtime, 'llm', 'availability')).toMatchObject({ verdict: 'FAIL', samples: 500 });

    clock.advance(30_000);
    await runtime.act('llm', 'promote', 'to 50 %', 'admin', { reason: 'test setup: exposure chosen by the test' });
    record(runtime, clock.now() + MINUTE, 450, { component: 'llm', provider: 'groq' });
    await runtime.tick(clock.advance(2 * MINUTE));
    expect(await criterion(runtime, 'llm', 'availability')).toMatchObject({ verdict: 'PASS', samples: 450, measured: 1 });
  });

  it('read the same step after a restart, and add minutes as they settle', async () => {
    const path = join(dir, 'restart.db');
    const clock = new FakeClock();
    const first = await gateway(clock, path);
    await first.runtime.act('llm', 'promote', 'start the canary');
    const start = clock.now();
    record(first.runtime, start + MINUTE, 300, { component: 'llm', provider: 'groq' });
    await first.runtime.tick(clock.advance(20 * MINUTE)); // minute 1 is settled (folded) now
    record(first.runtime, clock.now(), 200, { component: 'llm', provider: 'groq' });
    await first.runtime.tick(clock.advance(15 * MINUTE)); // and so is that one
    record(first.runtime, clock.now(), 100, { component: 'llm', provider: 'groq' });
    await first.runtime.tick(clock.advance(5_000));
    expect((await criterion(first.runtime, 'llm', 'availability')).samples).toBe(600);
    await first.close();
    gateways.splice(gateways.indexOf(first), 1);

    const second = await gateway(clock, path);
    expect((await criterion(second.runtime, 'llm', 'availability')).samples).toBe(600);
  });

  it('before the first step (no step start), use the short window', async () => {
    const clock = new FakeClock();
    const { runtime } = await gateway(clock);
    await runtime.setWeight('llm', 20, 'by hand', 'admin', { reason: 'test setup: exposure chosen by the test' }); // a weight without a step
    record(runtime, clock.now(), 10, { component: 'llm', provider: 'groq' });
    await runtime.tick(clock.now()); // the views show the loop's last evaluation
    expect((await criterion(runtime, 'llm', 'availability')).samples).toBe(10);
    await runtime.tick(clock.advance(10 * MINUTE));
    expect((await criterion(runtime, 'llm', 'availability')).samples).toBe(0);
  });
});

describe('the step window cache', () => {
  it('counts from the first whole minute of the step, as summarize(…, {since}) does', () => {
    expect(firstWholeMinute(10 * MINUTE)).toBe(10 * MINUTE);
    expect(firstWholeMinute(10 * MINUTE + 1)).toBe(11 * MINUTE);
  });

  it('re-reads only the minutes that are not settled', async () => {
    const store = new Store(':memory:');
    const reads: number[] = [];
    const windows = new StepWindows({ rollupsSince: (since, c) => (reads.push(since), store.rollupsSince(since, c)) }, 10 * MINUTE);
    const plans = plansFromConfig(testConfig().config);
    const clock = new FakeClock(Date.UTC(2026, 0, 5, 9, 0, 0));
    const m = await Migrations.create({ store, plans, clock });
    const start = clock.now();
    record(m, start, 5, { component: 'llm', provider: 'groq' });
    await m.flush();
    const count = async (now: number) => (await windows.rollups('llm', start, now, [])).reduce((s, r) => s + r.count, 0);
    expect(await count(start + MINUTE)).toBe(5);
    expect(await count(start + 60 * MINUTE)).toBe(5);
    expect(await count(start + 61 * MINUTE)).toBe(5);
    expect(reads).toEqual([start, start, start + 50 * MINUTE]);
    await store.close();
  });
});

describe('the cost criterion (stt: cost < 50 % of the MVP’s)', () => {
  it('without MVP traffic, compares with the MVP priced by the config for a typical request', async () => {
    const clock = new FakeClock();
    const gw = await gateway(clock);
    await gw.runtime.act('stt', 'promote', 'start');
    record(gw.runtime, clock.now() + MINUTE, 250, { component: 'stt', provider: 'faster-whisper' });
    await gw.runtime.tick(clock.advance(3 * MINUTE));

    // openai-whisper at 0.00015 €/audio second (the plan's price in the local config) × 3 s; faster-whisper costs 0 per request.
    expect(await criterion(gw.runtime, 'stt', 'cost_ratio')).toMatchObject({ verdict: 'PASS', measured: 0, samples: 250 });
    const res = await gw.app.inject({ url: '/admin/v1/components/stt', headers: adminHeaders });
    const summary = ComponentSummarySchema.parse(res.json());
    expect(summary.metrics.mvpCostPerRequestEur).toBeCloseTo(0.00045, 10);
  });

  it('with enough MVP traffic in the step, compares with its measured cost', async () => {
    const clock = new FakeClock();
    const gw = await gateway(clock);
    await gw.runtime.act('stt', 'promote', 'start');
    record(gw.runtime, clock.now() + MINUTE, 250, { component: 'stt', provider: 'faster-whisper', costEur: 0.0004 });
    record(gw.runtime, clock.now() + MINUTE, 50, { component: 'stt', provider: 'openai-whisper', route: 'mvp', costEur: 0.001 });
    await gw.runtime.tick(clock.advance(3 * MINUTE));

    // 0.0004 / 0.001 = 0.4 < 0.5 (against the priced 0.00045 it would be 0.89, a FAIL).
    const cost = await criterion(gw.runtime, 'stt', 'cost_ratio');
    expect(cost.verdict).toBe('PASS');
    expect(cost.measured).toBeCloseTo(0.4, 6);
    expect((await gw.runtime.summary('stt')).metrics.mvpCostPerRequestEur).toBeCloseTo(0.001, 10);
    expect((await gw.app.inject({ url: '/admin/v1/components', headers: adminHeaders })).json().components[1].metrics.mvpCostPerRequestEur).toBeCloseTo(0.001, 10);
  });

  it('priced without a model is null; a model that cannot price the typical usage is null, not a crash', () => {
    const mvp = { requests: 0, errors: 0, errorRate: 0, availability: 1, avgMs: null, p50Ms: null, p95Ms: null, p99Ms: null, costPerRequestEur: null };
    const base = { component: 'stt' as const, mvpProvider: 'openai-whisper' as const, mvp, minRequests: 20 };
    expect(mvpCostPerRequest({ ...base, costModel: undefined })).toBeNull();
    const model = { prices: { 'openai-whisper': { unit: 'token' as const, eurPerUnit: 0.001 } }, vps: { monthlyCostEur: 160, oneTimeCostEur: 0 } };
    expect(mvpCostPerRequest({ ...base, costModel: model })).toBeNull();
    expect(mvpCostPerRequest({ ...base, costModel: model, typicalUsage: { tokens: 100 } })).toBeCloseTo(0.1, 10);
    expect(mvpCostPerRequest({ ...base, mvp: { ...mvp, requests: 19, costPerRequestEur: 0.002 }, costModel: model, typicalUsage: { tokens: 1 } })).toBeCloseTo(0.001, 10);
    expect(mvpCostPerRequest({ ...base, mvp: { ...mvp, requests: 20, costPerRequestEur: 0.002 }, costModel: model })).toBe(0.002);
  });
});
