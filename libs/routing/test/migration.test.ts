import { describe, expect, it } from 'vitest';
import { defaultCriteria, defaultPlan, type CostModel, type RolloutPlan } from '../src/index.ts';
import { DAY, HOUR } from './fixtures.ts';
import { simulateMigration, type SimulationOptions, type UpstreamBehaviour } from './simulation.ts';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MINUTE = 60_000;

// stt with the plan's steps (10 % 48 h, 50 % 48 h, 100 % 7 d) and criteria, automatic promotion on.
// The simulated class is small, so the sample minimums are lowered to what it produces in 2 hours.
const plan: RolloutPlan = defaultPlan('stt', {
  autoPromote: true,
  criteria: defaultCriteria('stt').map((c) => ({ ...c, minSamples: Math.min(c.minSamples, 100) })),
});

const costModel: CostModel = {
  prices: { 'openai-whisper': { unit: 'audio_second', eurPerUnit: 0.0001 } },
  vps: { monthlyCostEur: 160, oneTimeCostEur: 3600 },
  vpsMonthlyRequests: 2_000_000,
};

const healthy: Record<string, UpstreamBehaviour> = {
  'faster-whisper': { latencyMs: [250, 700], failureRate: 0.001 },
  'openai-whisper': { latencyMs: [700, 1400], failureRate: 0.001 },
};

const base: Omit<SimulationOptions, 'behaviour' | 'durationMs'> = {
  plan,
  seed: 42,
  start: T0,
  tickMs: 5 * MINUTE,
  requestsPerTick: 60,
  students: 2000,
  evaluateEveryMs: 30 * MINUTE,
  analysisWindowMs: 2 * HOUR,
  quality: { score: 0.965, samples: 500 },
  costModel,
  audioSecondsPerRequest: 3,
  // 60 requests per 5 minutes (0.2 req/s) × 0.1 s: 2 % busy at 100 %.
  serviceMs: 100,
};

describe('simulated migration (injected clock)', () => {
  it('goes from 0 % to 100 % and production with healthy metrics, one gated step at a time', async () => {
    const result = await simulateMigration({ ...base, durationMs: 12 * DAY, behaviour: (p) => healthy[p]! });
    const steps = result.events.map((e) => [e.actor, e.action, e.from.weight, e.to.weight, e.to.status]);
    expect(steps).toEqual([
      ['admin', 'promote', 0, 10, 'migrating'],
      ['analysis', 'promote', 10, 50, 'migrating'],
      ['analysis', 'promote', 50, 100, 'migrating'],
      ['analysis', 'promote', 100, 100, 'production'],
    ]);
    // each promotion waited for its step's minimum duration
    const [, toHalf, toAll, done] = result.events;
    expect(toHalf!.at - T0).toBeGreaterThanOrEqual(48 * HOUR);
    expect(toAll!.at - toHalf!.at).toBeGreaterThanOrEqual(48 * HOUR);
    expect(done!.at - toAll!.at).toBeGreaterThanOrEqual(7 * DAY);
    expect(done!.reason).toMatch(/^GO after .* at 100 %: promoting to production \(migration complete\)/);
    expect(result.state).toMatchObject({ status: 'production', weight: 100 });
    expect(result.decisions.some((d) => d.action === 'rollback')).toBe(false);
    // production's rare failures were all absorbed by the fallback; only MVP-only requests (no fallback)
    // could fail, at the MVP's own 0.1 % rate
    expect(result.failedAfterProduction).toBe(0);
    expect(result.served.fallback).toBeGreaterThan(0);
    const total = result.served.production + result.served.mvp + result.served.fallback + result.served.failed;
    expect(result.served.failed / total).toBeLessThan(0.002);
    expect(result.served.production).toBeGreaterThan(result.served.mvp);
  }, 60_000);

  it('rolls back automatically when production degrades at 50 %, records why, and stays rolled back', async () => {
    const behaviour: SimulationOptions['behaviour'] = (provider, state) =>
      provider === 'faster-whisper' && state.weight >= 50 ? { latencyMs: [400, 1200], failureRate: 0.3 } : healthy[provider]!;
    const result = await simulateMigration({ ...base, durationMs: 5 * DAY, behaviour });
    const steps = result.events.map((e) => [e.actor, e.action, e.from.weight, e.to.weight, e.to.status]);
    expect(steps).toEqual([
      ['admin', 'promote', 0, 10, 'migrating'],
      ['analysis', 'promote', 10, 50, 'migrating'],
      ['analysis', 'rollback', 50, 0, 'rollback'],
    ]);
    const [, toHalf, back] = result.events;
    expect(back!.reason).toMatch(/^automatic rollback after 3 consecutive critical evaluations: faster-whisper: (error rate|circuit breaker open)/);
    // three evaluations, 30 minutes apart: the rollback came within two hours of the degradation
    expect(back!.at - toHalf!.at).toBeLessThanOrEqual(2 * HOUR);
    // the holds before the rollback say what was critical
    const holds = result.decisions.filter((d) => d.action === 'hold' && d.at > toHalf!.at && d.at < back!.at);
    expect(holds.map((d) => d.reason.slice(0, 14))).toEqual(['critical (1/3)', 'critical (2/3)']);
    // nobody is sent to production after the rollback, even though days pass
    expect(result.state).toMatchObject({ status: 'rollback', weight: 0 });
    expect(result.decisions.filter((d) => d.at > back!.at).every((d) => d.action === 'none')).toBe(true);
  }, 60_000);

  it('holds at 50 % when the GPU would not carry 100 %: the capacity criterion FAILs with its forecast', async () => {
    // 0.2 req/s × 4 s of GPU time a request: 40 % busy at 50 %, 80 % at 100 % (not under the 80 % threshold).
    const result = await simulateMigration({ ...base, serviceMs: 4_000, durationMs: 8 * DAY, behaviour: (p) => healthy[p]! });
    const steps = result.events.map((e) => [e.actor, e.action, e.from.weight, e.to.weight]);
    expect(steps).toEqual([
      ['admin', 'promote', 0, 10],
      ['analysis', 'promote', 10, 50],
    ]);
    const last = result.decisions.at(-1)!;
    expect(last).toMatchObject({ action: 'hold', weight: 50 });
    expect(last.reason).toMatch(/^NO-GO: capacity FAIL: forecast 8\d(\.\d)? % busy at 100 % \(service 4000 ms/);
  }, 60_000);
});
