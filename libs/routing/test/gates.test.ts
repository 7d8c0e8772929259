import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  GateError,
  OVERRIDE_MARK,
  defaultPlan,
  evaluateAlerts,
  evaluateCriteria,
  gateBlockers,
  gatedTransition,
  initialState,
  promote,
  rollback,
  type GateInput,
} from '../src/index.ts';
import { HOUR, LLM_MVP, stats } from './fixtures.ts';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const plan = defaultPlan('llm');
const at10 = promote(plan, initialState(plan, T0), { actor: 'admin', reason: 'step 1', at: T0 }).state;
const go = evaluateCriteria(plan.criteria, { production: stats(), mvp: LLM_MVP, monthlyRequests: 200_000, quality: { score: 0.97, samples: 100 }, breakerOpen: false });
const hold = evaluateCriteria(plan.criteria, { production: stats({ requests: 10 }), mvp: LLM_MVP, monthlyRequests: 200_000, quality: null, breakerOpen: false });
const critical = evaluateAlerts(stats({ errors: 300 }), DEFAULT_THRESHOLDS, { component: 'llm', provider: 'groq' });
const mvpCritical = evaluateAlerts(stats({ errors: 300 }), DEFAULT_THRESHOLDS, { component: 'llm', provider: 'huggingface' });
const after48h: GateInput = { evaluation: go, alerts: [], now: T0 + 48 * HOUR };
const ctx = { actor: 'admin', reason: 'next step of the plan', at: T0 + 48 * HOUR };

describe('gated actions', () => {
  it('lets a promotion through with GO, no critical alert and the step held its minimum time', () => {
    expect(gateBlockers(plan, at10, 'promote', after48h)).toEqual([]);
    const t = gatedTransition(plan, at10, 'promote', ctx, after48h);
    expect(t.state).toMatchObject({ weight: 50, step: 1 });
    expect(t.event.reason).toBe('next step of the plan');
  });

  it('lists every blocker: the verdict, a critical alert on the candidate, the minimum time', () => {
    const blockers = gateBlockers(plan, at10, 'promote', { evaluation: hold, alerts: critical, now: T0 + 5 * HOUR + 12 * 60_000 });
    expect(blockers.map((b) => b.code)).toEqual(['verdict', 'critical_alert', 'min_time']);
    expect(blockers[0]!.message).toMatch(/^GO\/NO-GO is HOLD \(.*availability INCONCLUSIVE/);
    expect(blockers[2]!.message).toBe('step 1 has been held 5 h 12 min of its minimum 2 d 0 h');
  });

  it('refuses a blocked action without an override, and names what blocks it', () => {
    const blocked = () => gatedTransition(plan, at10, 'promote', { ...ctx, at: T0 + HOUR }, { evaluation: go, alerts: [], now: T0 + HOUR });
    expect(blocked).toThrow(GateError);
    expect(blocked).toThrow(/promote is blocked: step 1 has been held 1 h 00 min of its minimum 2 d 0 h; give an override/);
  });

  it('goes ahead with an override, and the audit event says so, with both reasons and what it overrode', () => {
    const t = gatedTransition(plan, at10, 'promote', { ...ctx, override: { reason: 'the school trip starts Monday' } }, { evaluation: hold, alerts: [], now: T0 + 48 * HOUR });
    expect(t.state.weight).toBe(50);
    expect(t.event.reason).toBe(`next step of the plan · ${OVERRIDE_MARK}: the school trip starts Monday (despite: GO/NO-GO is HOLD (p95_latency INCONCLUSIVE, availability INCONCLUSIVE, quality INCONCLUSIVE, cost_ratio INCONCLUSIVE, monthly_cost INCONCLUSIVE))`);
  });

  it('refuses an override without a reason', () => {
    expect(() => gatedTransition(plan, at10, 'promote', { ...ctx, override: { reason: ' ' } }, after48h)).toThrow(/override\.reason: expected a text of at least 3 characters/);
  });

  it('gates a raise of the weight, never a cut, a rollback or a resume', () => {
    const blocked: GateInput = { evaluation: hold, alerts: critical, now: T0 + HOUR };
    expect(() => gatedTransition(plan, at10, 'set-weight', { ...ctx, weight: 20 }, blocked)).toThrow(GateError);
    expect(gatedTransition(plan, at10, 'set-weight', { ...ctx, weight: 5 }, blocked).state.weight).toBe(5);
    const rolledBack = rollback(plan, at10, { actor: 'analysis', reason: 'errors', at: T0 + HOUR }).state;
    expect(gatedTransition(plan, rolledBack, 'resume', ctx, blocked).state).toMatchObject({ status: 'migrating', weight: 10 });
  });

  it('a critical alert on the paid provider does not block the candidate', () => {
    expect(gateBlockers(plan, at10, 'promote', { ...after48h, alerts: mvpCritical })).toEqual([]);
  });

  it('starting the rollout (MVP → first step) waits for no verdict and no time, but not past a critical alert', () => {
    const mvp = initialState(plan, T0);
    const nothingMeasured: GateInput = { evaluation: hold, alerts: [], now: T0 };
    expect(gateBlockers(plan, mvp, 'promote', nothingMeasured)).toEqual([]);
    expect(gateBlockers(plan, mvp, 'set-weight', nothingMeasured, 10)).toEqual([]);
    expect(gateBlockers(plan, mvp, 'promote', { ...nothingMeasured, alerts: critical }).map((b) => b.code)).toEqual(['critical_alert']);
    // The shadow comparison already judged the candidate's quality: a FAIL blocks the start, a PASS does not.
    const quality = (verdict: 'PASS' | 'FAIL') => ({ id: 'accuracy' as const, label: 'Transcription accuracy', comparator: '>' as const, target: 0.95, unit: 'ratio' as const, minSamples: 50, measured: verdict === 'PASS' ? 0.99 : 0.6, samples: 60, verdict });
    const failed: GateInput = { ...nothingMeasured, evaluation: { verdict: 'NO-GO', criteria: [...hold.criteria, quality('FAIL')] } };
    expect(gateBlockers(plan, mvp, 'promote', failed)).toEqual([{ code: 'verdict', message: 'a criterion fails before the rollout starts (accuracy FAIL)' }]);
    expect(gateBlockers(plan, mvp, 'set-weight', failed, 10).map((b) => b.code)).toEqual(['verdict']);
    expect(gateBlockers(plan, mvp, 'promote', { ...nothingMeasured, evaluation: { verdict: 'HOLD', criteria: [...hold.criteria, quality('PASS')] } })).toEqual([]);
    // Straight to 50 % from the MVP skips the first step: the verdict gate applies.
    expect(gateBlockers(plan, mvp, 'set-weight', nothingMeasured, 50).map((b) => b.code)).toEqual(['verdict']);
  });
});
