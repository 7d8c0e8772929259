// A resume right after a fix must not be rolled back by the failures from before it. The loop seen in the
// dashboard: fault → automatic rollback → fault fixed → resume → rolled back again 21 s later ("error rate
// 25.0 % over 20 requests"), because the alert window still held the minutes before the fix.
import { describe, expect, it } from 'vitest';
import {
  addToRollup,
  alertWindowRollups,
  baselineOf,
  breakerCountsAsOpen,
  applyDecision,
  decide,
  defaultPlan,
  emptyHistogram,
  evaluateAlerts,
  evaluateCriteria,
  initialState,
  minuteOf,
  promote,
  resume,
  rollupKey,
  setWeight,
  summarize,
  type AnalysisBaseline,
  type AuditEvent,
  type Decision,
  type MinuteRollup,
  type RolloutState,
} from '../src/index.ts';

const plan = defaultPlan('stt', { rollbackAfterEvaluations: 3 });
const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const WINDOW_MS = 5 * 60_000;
const SECOND = 1000;

/** The gateway's part, reduced: per-minute rollups of the production route, and one evaluation every 5 s. */
class Loop {
  readonly rollups = new Map<string, MinuteRollup>();
  readonly events: AuditEvent[] = [];
  state: RolloutState = promote(plan, initialState(plan, T0), { actor: 'admin', reason: 'step 1', at: T0 }).state;
  last: Pick<Decision, 'criticalStreak' | 'analysisStartedAt'> = { criticalStreak: 0, analysisStartedAt: null };
  baseline: AnalysisBaseline | null = null;

  /** A person's transition: the minute it happens in is noted as it stands (the baseline). */
  act(state: RolloutState): void {
    this.state = state;
    this.baseline = baselineOf(this.rollups.values(), state.analysisStartedAt!);
  }

  /** `count` production requests at `at`, `errors` of them failed. */
  record(at: number, count: number, errors: number): void {
    const minute = minuteOf(at);
    const key = rollupKey({ minute, component: 'stt', provider: plan.productionProvider, route: 'production' });
    const r = this.rollups.get(key) ?? { minute, component: 'stt' as const, provider: plan.productionProvider, route: 'production' as const, count: 0, errors: 0, latencySumMs: 0, costEur: 0, histogram: emptyHistogram() };
    this.rollups.set(key, r);
    for (let i = 0; i < count; i++) addToRollup(r, { at, component: 'stt', provider: plan.productionProvider, route: 'production', latencyMs: 400, ok: i >= errors, costEur: 0 });
  }

  evaluate(now: number): Decision {
    const judged = alertWindowRollups([...this.rollups.values()], this.state, now, WINDOW_MS, this.baseline);
    const production = summarize(judged, { provider: plan.productionProvider, route: 'production' });
    const alerts = evaluateAlerts(production, plan.thresholds, { component: 'stt', provider: plan.productionProvider, breakerOpen: false });
    const evaluation = evaluateCriteria(plan.criteria, { production, mvp: production, quality: null, breakerOpen: false });
    const decision = decide({ plan, state: this.state, analysis: { alerts, evaluation }, criticalStreak: this.last.criticalStreak, streakAnalysisStartedAt: this.last.analysisStartedAt, now });
    this.last = decision;
    const t = applyDecision(plan, this.state, decision, now);
    if (t) {
      this.state = t.state;
      this.events.push(t.event);
    }
    return decision;
  }
}

describe('a resume starts a fresh analysis', () => {
  it('after the fault is fixed, a resume is not rolled back by the minutes before it', () => {
    const loop = new Loop();
    // 08:02–08:04: the candidate fails one request in four; three critical evaluations roll it back.
    let now = T0 + 2 * 60_000;
    for (; loop.state.status !== 'rollback'; now += 5 * SECOND) {
      loop.record(now, 4, 1);
      loop.evaluate(now);
      expect(now).toBeLessThan(T0 + 4 * 60_000);
    }
    expect(loop.events.at(-1)).toMatchObject({ actor: 'analysis', action: 'rollback' });
    // Fixed at once; resumed 14 s later, as in the report. The 5-minute window still holds the failures.
    const resumedAt = now + 14 * SECOND;
    loop.act(resume(plan, loop.state, { actor: 'admin', reason: 'fault fixed', at: resumedAt }).state);
    for (now = resumedAt; now < resumedAt + 5 * 60_000; now += 5 * SECOND) {
      loop.record(now, 4, 0);
      const d = loop.evaluate(now);
      expect(d.action, `at +${(now - resumedAt) / 1000} s: ${d.reason}`).not.toBe('rollback');
    }
    expect(loop.state).toMatchObject({ status: 'migrating', weight: 10 });
  });

  it('the fresh analysis still sees a fault that comes back after the resume', () => {
    const loop = new Loop();
    loop.record(T0 + 5 * SECOND, 40, 40); // before the resume, in the same minute: not counted
    loop.act(resume(plan, { ...loop.state, status: 'rollback', weight: 0 }, { actor: 'admin', reason: 'retry', at: T0 + 10 * SECOND }).state);
    let now = T0 + 10 * SECOND;
    expect(loop.evaluate(now)).toMatchObject({ criticalStreak: 0 });
    for (; loop.state.status !== 'rollback' && now < T0 + 5 * 60_000; now += 5 * SECOND) {
      loop.record(now, 4, 2);
      loop.evaluate(now);
    }
    expect(loop.state.status).toBe('rollback');
    // Seen within the resume's own minute: 20 requests (the alerts' minimum) take five evaluations, the
    // rollback three more.
    expect(now).toBeLessThan(T0 + 60_000);
  });

  it('without a baseline (a restart), the mixed minute of the start is left out', () => {
    const loop = new Loop();
    loop.record(T0 + 5 * SECOND, 40, 40);
    loop.state = resume(plan, { ...loop.state, status: 'rollback', weight: 0 }, { actor: 'admin', reason: 'retry', at: T0 + 10 * SECOND }).state;
    loop.record(T0 + 20 * SECOND, 40, 0);
    expect(loop.evaluate(T0 + 30 * SECOND)).toMatchObject({ criticalStreak: 0 });
    loop.record(T0 + 70 * SECOND, 40, 20);
    expect(loop.evaluate(T0 + 75 * SECOND)).toMatchObject({ action: 'hold', criticalStreak: 1 });
  });

  it('a weight set by hand resets the rollback streak', () => {
    const loop = new Loop();
    let now = T0 + 60_000;
    loop.record(now, 40, 10);
    expect(loop.evaluate((now += 5 * SECOND))).toMatchObject({ action: 'hold', criticalStreak: 1, rollbackAfter: 3 });
    expect(loop.evaluate((now += 5 * SECOND))).toMatchObject({ action: 'hold', criticalStreak: 2 });
    loop.act(setWeight(plan, loop.state, { actor: 'admin', reason: 'fewer students while we look', at: now, weight: 5 }).state);
    // The failures before the fresh analysis are not counted, and the count starts from nothing.
    expect(loop.evaluate(now + SECOND)).toMatchObject({ criticalStreak: 0 });
    now = minuteOf(now) + 2 * 60_000;
    loop.record(now, 40, 10);
    expect(loop.evaluate(now + SECOND)).toMatchObject({ action: 'hold', criticalStreak: 1 });
  });

  it('the streak survives evaluations within one analysis (the control case)', () => {
    const state = promote(plan, initialState(plan, T0), { actor: 'admin', reason: 'go', at: T0 }).state;
    const alerts = evaluateAlerts({ requests: 100, errors: 50, errorRate: 0.5, availability: 0.5, avgMs: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1, costPerRequestEur: null }, plan.thresholds, { component: 'stt', provider: plan.productionProvider });
    const evaluation = evaluateCriteria(plan.criteria, { production: { requests: 0, errors: 0, errorRate: 0, availability: 1, avgMs: null, p50Ms: null, p95Ms: null, p99Ms: null, costPerRequestEur: null }, mvp: { requests: 0, errors: 0, errorRate: 0, availability: 1, avgMs: null, p50Ms: null, p95Ms: null, p99Ms: null, costPerRequestEur: null }, quality: null, breakerOpen: false });
    const d = decide({ plan, state, analysis: { alerts, evaluation }, criticalStreak: 2, streakAnalysisStartedAt: T0, now: T0 + 1 });
    expect(d).toMatchObject({ action: 'rollback', criticalStreak: 3, analysisStartedAt: T0 });
  });
});

describe('breakerCountsAsOpen', () => {
  const state = { ...promote(plan, initialState(plan, T0), { actor: 'admin', reason: 'go', at: T0 }).state, analysisStartedAt: T0 + 60_000 };
  it('ignores a breaker opened before the analysis began, counts one opened since', () => {
    expect(breakerCountsAsOpen({ state: 'open', openedAt: T0 + 30_000 }, state)).toBe(false);
    expect(breakerCountsAsOpen({ state: 'open', openedAt: T0 + 90_000 }, state)).toBe(true);
    expect(breakerCountsAsOpen({ state: 'half-open', openedAt: T0 + 90_000 }, state)).toBe(false);
  });
});
