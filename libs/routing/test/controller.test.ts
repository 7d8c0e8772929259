import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  applyDecision,
  decide,
  defaultPlan,
  evaluateAlerts,
  evaluateCriteria,
  initialState,
  promote,
  type Evaluation,
  type RolloutPlan,
  type RolloutState,
} from '../src/index.ts';
import { HOUR, LLM_MVP, SATISFIED, stats } from './fixtures.ts';

const T0 = Date.UTC(2026, 0, 5);
const plan: RolloutPlan = defaultPlan('llm', { autoPromote: true, rollbackAfterEvaluations: 3 });
const at10: RolloutState = promote(plan, initialState(plan, T0), { actor: 'admin', reason: 'start', at: T0 }).state;

const go: Evaluation = evaluateCriteria(plan.criteria, { production: stats(), mvp: LLM_MVP, monthlyRequests: 200_000, quality: { score: 0.97, samples: 100 }, breakerOpen: false, satisfaction: SATISFIED });
const hold: Evaluation = evaluateCriteria(plan.criteria, { production: stats({ requests: 10 }), mvp: LLM_MVP, monthlyRequests: 200_000, quality: null, breakerOpen: false });
const critical = evaluateAlerts(stats({ errors: 300 }), DEFAULT_THRESHOLDS, { component: 'llm', provider: 'groq' });
const warningOnly = evaluateAlerts(stats({ p95Ms: 2500 }), DEFAULT_THRESHOLDS, { component: 'llm', provider: 'groq' }).filter((a) => a.severity === 'warning');

describe('decide', () => {
  it('does nothing while nobody is exposed', () => {
    const d = decide({ plan, state: initialState(plan, T0), analysis: { alerts: critical, evaluation: go }, criticalStreak: 2, now: T0 });
    expect(d).toMatchObject({ action: 'none', criticalStreak: 0 });
  });

  it('rolls back after N consecutive critical evaluations, holding before', () => {
    let streak = 0;
    const actions = [];
    for (let i = 0; i < 3; i++) {
      const d = decide({ plan, state: at10, analysis: { alerts: critical, evaluation: go }, criticalStreak: streak, now: T0 + i * 5000 });
      actions.push(d.action);
      streak = d.criticalStreak;
      if (d.action === 'rollback') {
        expect(d.reason).toMatch(/^automatic rollback after 3 consecutive critical evaluations: groq: error rate 30\.0 % > 5\.0 %/);
        const t = applyDecision(plan, at10, d, T0 + i * 5000)!;
        expect(t.state).toMatchObject({ status: 'rollback', weight: 0 });
        expect(t.event).toMatchObject({ actor: 'analysis', action: 'rollback', reason: d.reason, from: { weight: 10 }, to: { weight: 0 } });
      }
    }
    expect(actions).toEqual(['hold', 'hold', 'rollback']);
  });

  it('starts counting again after a clean evaluation', () => {
    const d1 = decide({ plan, state: at10, analysis: { alerts: critical, evaluation: go }, criticalStreak: 1, now: T0 });
    expect(d1).toMatchObject({ action: 'hold', criticalStreak: 2 });
    const d2 = decide({ plan, state: at10, analysis: { alerts: [], evaluation: hold }, criticalStreak: d1.criticalStreak, now: T0 });
    expect(d2.criticalStreak).toBe(0);
  });

  it('ignores warnings and critical alerts on other providers', () => {
    const mvpDown = evaluateAlerts(stats({ errors: 300 }), DEFAULT_THRESHOLDS, { component: 'llm', provider: 'huggingface' });
    for (const alerts of [warningOnly, mvpDown]) {
      const d = decide({ plan, state: at10, analysis: { alerts, evaluation: go }, criticalStreak: 2, now: T0 + 49 * HOUR });
      expect(d.action).not.toBe('rollback');
      expect(d.criticalStreak).toBe(0);
    }
  });

  it('promotes only when automatic promotion is on, the pause has elapsed and the verdict is GO', () => {
    const input = { plan, state: at10, analysis: { alerts: [], evaluation: go }, criticalStreak: 0 };
    expect(decide({ ...input, now: T0 + 47 * HOUR })).toMatchObject({ action: 'hold', reason: 'GO; step 1 held 47 h of 48 h' });
    const d = decide({ ...input, now: T0 + 48 * HOUR });
    expect(d).toMatchObject({ action: 'promote', reason: 'GO after 48 h at 10 %: promoting to step 2 (50 %)' });
    expect(applyDecision(plan, at10, d, T0 + 48 * HOUR)!.state).toMatchObject({ weight: 50, step: 1, stepStartedAt: T0 + 48 * HOUR });
    expect(decide({ ...input, analysis: { alerts: [], evaluation: hold }, now: T0 + 48 * HOUR })).toMatchObject({ action: 'hold' });
    expect(decide({ ...input, analysis: { alerts: [], evaluation: hold }, now: T0 + 48 * HOUR }).reason).toMatch(/^HOLD: p95_latency INCONCLUSIVE/);
    expect(decide({ ...input, plan: { ...plan, autoPromote: false }, now: T0 + 48 * HOUR })).toMatchObject({ action: 'none', reason: 'GO; automatic promotion is off' });
  });

  it('leaves a weight set by hand before the first step to a person', () => {
    const byHand: RolloutState = { ...initialState(plan, T0), status: 'migrating', weight: 1 };
    expect(decide({ plan, state: byHand, analysis: { alerts: [], evaluation: go }, criticalStreak: 0, now: T0 + 100 * HOUR })).toMatchObject({ action: 'none' });
  });

  it('holds on too few samples, however long it lasts: neither promotes nor rolls back', () => {
    // 10 requests, all failed: below the alerts' minimum volume and every criterion's minimum samples.
    const few = stats({ requests: 10, errors: 10, p95Ms: 5000 });
    const alerts = evaluateAlerts(few, plan.thresholds, { component: 'llm', provider: 'groq' });
    const evaluation = evaluateCriteria(plan.criteria, { production: few, mvp: LLM_MVP, monthlyRequests: 200_000, quality: null, breakerOpen: false });
    expect(alerts).toEqual([]);
    expect(evaluation.verdict).toBe('HOLD');
    let streak = 0;
    for (let i = 0; i < 10; i++) {
      const d = decide({ plan, state: at10, analysis: { alerts, evaluation }, criticalStreak: streak, now: T0 + 49 * HOUR + i * 5000 });
      expect(d).toMatchObject({ action: 'hold', criticalStreak: 0 });
      expect(d.reason).toMatch(/^HOLD: p95_latency INCONCLUSIVE, availability INCONCLUSIVE, quality INCONCLUSIVE, cost_ratio INCONCLUSIVE, monthly_cost INCONCLUSIVE$/);
      streak = d.criticalStreak;
    }
  });

  it('counts an open breaker on the production provider as failing, with no traffic at all, and rolls back', () => {
    // While the breaker is open no request reaches groq: its window is empty, which must not read "no data".
    const empty = stats({ requests: 0, errors: 0, p95Ms: null, p50Ms: null, p99Ms: null, avgMs: null, costPerRequestEur: null });
    const alerts = evaluateAlerts(empty, plan.thresholds, { component: 'llm', provider: 'groq', breakerOpen: true });
    const evaluation = evaluateCriteria(plan.criteria, { production: empty, mvp: LLM_MVP, monthlyRequests: 200_000, quality: { score: 0.97, samples: 100 }, breakerOpen: true });
    expect(evaluation.verdict).toBe('NO-GO');
    let streak = 0;
    const decisions = [];
    for (let i = 0; i < plan.rollbackAfterEvaluations; i++) {
      const d = decide({ plan, state: at10, analysis: { alerts, evaluation }, criticalStreak: streak, now: T0 + i * 5000 });
      decisions.push(d);
      streak = d.criticalStreak;
    }
    expect(decisions.map((d) => d.action)).toEqual(['hold', 'hold', 'rollback']);
    expect(decisions[2]!.reason).toBe('automatic rollback after 3 consecutive critical evaluations: groq: circuit breaker open');
    // The same open breaker on the MVP provider is not the migration's problem.
    const mvpOpen = evaluateAlerts(empty, plan.thresholds, { component: 'llm', provider: 'huggingface', breakerOpen: true });
    expect(decide({ plan, state: at10, analysis: { alerts: mvpOpen, evaluation: go }, criticalStreak: 2, now: T0 }).action).not.toBe('rollback');
  });

  it('records every automatic decision as an event: actor, time, reason, from, to', () => {
    const at = T0 + 48 * HOUR;
    const d = decide({ plan, state: at10, analysis: { alerts: [], evaluation: go }, criticalStreak: 0, now: at });
    expect(applyDecision(plan, at10, d, at)!.event).toEqual({
      at,
      component: 'llm',
      actor: 'analysis',
      action: 'promote',
      reason: 'GO after 48 h at 10 %: promoting to step 2 (50 %)',
      from: { status: 'migrating', weight: 10, step: 0 },
      to: { status: 'migrating', weight: 50, step: 1 },
    });
  });

  it('leaves automatic promotion off unless the plan turns it on', () => {
    const byDefault = defaultPlan('llm');
    expect(byDefault.autoPromote).toBe(false);
    const d = decide({ plan: byDefault, state: at10, analysis: { alerts: [], evaluation: go }, criticalStreak: 0, now: T0 + 30 * 24 * HOUR });
    expect(d).toMatchObject({ action: 'none', reason: 'GO; automatic promotion is off' });
    expect(applyDecision(byDefault, at10, d, T0 + 30 * 24 * HOUR)).toBeNull();
  });

  it('turns none and hold into no transition', () => {
    expect(applyDecision(plan, at10, { action: 'hold', reason: 'x', criticalStreak: 1 }, T0)).toBeNull();
    expect(applyDecision(plan, at10, { action: 'none', reason: 'x', criticalStreak: 0 }, T0)).toBeNull();
  });
});
