import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_STEPS,
  TransitionError,
  adoptPlan,
  defaultPlan,
  initialState,
  promote,
  resume,
  rollback,
  setWeight,
  snapshotOf,
  type RolloutState,
} from '../src/index.ts';
import { DAY, HOUR } from './fixtures.ts';

const T0 = Date.UTC(2026, 0, 5);
const admin = (reason: string, at = T0) => ({ actor: 'admin', reason, at });

describe('defaultPlan', () => {
  it("holds the plan's steps, providers and SLAs", () => {
    expect(DEFAULT_STEPS).toEqual([
      { weight: 10, minDurationMs: 48 * HOUR },
      { weight: 50, minDurationMs: 48 * HOUR },
      { weight: 100, minDurationMs: 7 * DAY },
    ]);
    expect(defaultPlan('llm')).toMatchObject({ mvpProvider: 'huggingface', productionProvider: 'groq', slaMs: 3000, autoPromote: false });
    expect(defaultPlan('stt')).toMatchObject({ mvpProvider: 'openai-whisper', productionProvider: 'faster-whisper', slaMs: 2000 });
    expect(defaultPlan('tts')).toMatchObject({ mvpProvider: 'web-speech', productionProvider: 'coqui', slaMs: 1500 });
    expect(defaultPlan('vision')).toMatchObject({ mvpProvider: 'easyocr', productionProvider: 'trocr', slaMs: 2000 });
  });

  it('rejects a bad plan, naming the field', () => {
    expect(() => defaultPlan('stt', { steps: [{ weight: 50, minDurationMs: 0 }, { weight: 10, minDurationMs: 0 }] })).toThrow(
      /plan\.steps\[1\]\.weight: expected more than the previous step's weight \(50\)/,
    );
    expect(() => defaultPlan('stt', { steps: [] })).toThrow(/plan\.steps: expected at least one step/);
    expect(() => defaultPlan('stt', { steps: [{ weight: 120, minDurationMs: 0 }] })).toThrow(/plan\.steps\[0\]\.weight/);
    expect(() => defaultPlan('stt', { slaMs: 0 })).toThrow(/plan\.slaMs/);
    expect(() => defaultPlan('stt', { rollbackAfterEvaluations: 0 })).toThrow(/plan\.rollbackAfterEvaluations/);
    expect(() => defaultPlan('stt', { productionProvider: 'openai-whisper' })).toThrow(/plan\.productionProvider/);
    expect(() => defaultPlan('stt', { thresholds: { p95WarningMs: 2000, errorRateCritical: 5, healthWarning: 80, minRequests: 20 } })).toThrow(
      /plan\.thresholds\.errorRateCritical: expected a ratio between 0 and 1 \(0\.05 for 5 %\)/,
    );
    expect(() => defaultPlan('stt', { thresholds: { p95WarningMs: 2000, errorRateCritical: 0.05, healthWarning: 80, minRequests: 20, qualityWarning: 80 } })).toThrow(
      /plan\.thresholds\.qualityWarning: expected a fraction between 0 and 1 \(0\.8 for 80 %\)/,
    );
    expect(() => defaultPlan('llm', { criteria: [{ id: 'availability', label: 'a', comparator: '>', target: 0.99, unit: 'ratio', minSamples: -1 }] })).toThrow(/plan\.criteria\[0\]\.minSamples/);
  });
});

describe('transitions', () => {
  const plan = defaultPlan('stt');

  it('starts on MVP before the first step', () => {
    expect(initialState(plan, T0)).toEqual({ component: 'stt', planVersion: 1, status: 'mvp', step: -1, weight: 0, stepStartedAt: null });
  });

  it('promotes step by step to production, recording each event', () => {
    let state = initialState(plan, T0);
    const events = [];
    for (const [i, at] of [T0, T0 + 2 * DAY, T0 + 4 * DAY, T0 + 11 * DAY].entries()) {
      const t = promote(plan, state, admin(`go ${i}`, at));
      events.push(t.event);
      state = t.state;
    }
    expect(events.map((e) => [e.from.weight, e.to.weight, e.to.status, e.to.step])).toEqual([
      [0, 10, 'migrating', 0],
      [10, 50, 'migrating', 1],
      [50, 100, 'migrating', 2],
      [100, 100, 'production', 2],
    ]);
    expect(events[1]).toEqual({
      at: T0 + 2 * DAY,
      component: 'stt',
      actor: 'admin',
      action: 'promote',
      reason: 'go 1',
      from: { status: 'migrating', weight: 10, step: 0 },
      to: { status: 'migrating', weight: 50, step: 1 },
    });
    expect(state.stepStartedAt).toBe(T0 + 4 * DAY); // completing the migration is not a new step
    expect(() => promote(plan, state, admin('again'))).toThrow(TransitionError);
  });

  it('rolls back to weight 0 and stays there until resumed', () => {
    const migrating = promote(plan, promote(plan, initialState(plan, T0), admin('start')).state, admin('50 %')).state;
    const { state, event } = rollback(plan, migrating, { actor: 'analysis', reason: 'error rate 30 %', at: T0 + HOUR });
    expect(state).toMatchObject({ status: 'rollback', weight: 0, step: 1, reason: 'error rate 30 %' });
    expect(event).toMatchObject({ action: 'rollback', actor: 'analysis', from: { weight: 50, status: 'migrating' }, to: { weight: 0, status: 'rollback' } });
    expect(() => promote(plan, state, admin('no'))).toThrow(/rolled back: resume it/);
    expect(() => setWeight(plan, state, { ...admin('no'), weight: 20 })).toThrow(/rolled back/);
    expect(() => rollback(plan, state, admin('twice'))).toThrow(/already rolled back/);
    const resumed = resume(plan, state, admin('fixed', T0 + DAY));
    expect(resumed.state).toMatchObject({ status: 'migrating', weight: 10, step: 0, stepStartedAt: T0 + DAY });
    expect(resumed.event.action).toBe('resume');
  });

  it('refuses to resume what is not rolled back, and to roll back MVP', () => {
    const state = initialState(plan, T0);
    expect(() => resume(plan, state, admin('x'))).toThrow(/not rolled back/);
    expect(() => rollback(plan, state, admin('x'))).toThrow(/nothing to roll back/);
  });

  it('sets a weight by hand, with 0.01 % resolution', () => {
    const state = initialState(plan, T0);
    const t = setWeight(plan, state, { ...admin('canary'), weight: 0.25 });
    expect(t.state).toMatchObject({ weight: 0.25, status: 'migrating', step: -1 });
    expect(t.event).toMatchObject({ action: 'set-weight', from: { weight: 0 }, to: { weight: 0.25 } });
    expect(setWeight(plan, t.state, { ...admin('stop'), weight: 0 }).state.status).toBe('mvp');
    expect(() => setWeight(plan, state, { ...admin('x'), weight: 101 })).toThrow(/weight: expected a number between 0 and 100/);
    expect(() => setWeight(plan, state, { ...admin('x'), weight: 1.234 })).toThrow(/weight: expected at most two decimals/);
  });

  it('never lowers the weight on promotion after a weight set by hand', () => {
    const byHand = setWeight(plan, initialState(plan, T0), { ...admin('canary'), weight: 30 }).state;
    expect(promote(plan, byHand, admin('next')).state).toMatchObject({ weight: 50, step: 1, status: 'migrating' });
    const all = setWeight(plan, byHand, { ...admin('all'), weight: 100 }).state;
    expect(promote(plan, all, admin('done')).state).toMatchObject({ weight: 100, step: 2, status: 'production' });
  });

  it('requires an actor and a reason', () => {
    const state = initialState(plan, T0);
    expect(() => promote(plan, state, { actor: 'admin', reason: ' ', at: T0 })).toThrow(/reason: expected a non-empty text/);
    expect(() => promote(plan, state, { actor: '', reason: 'x', at: T0 })).toThrow(/actor/);
  });

  it('clears a rollback when a new plan version is deployed, and only then', () => {
    const migrating = promote(plan, initialState(plan, T0), admin('start')).state;
    const rolledBack = rollback(plan, migrating, admin('bad')).state;
    expect(() => adoptPlan(plan, rolledBack, { actor: 'deploy', reason: 'same', at: T0 })).toThrow(/already deployed/);
    const v2 = { ...plan, version: 2 };
    const t = adoptPlan(v2, rolledBack, { actor: 'deploy', reason: 'plan v2', at: T0 + DAY });
    expect(t.state).toMatchObject({ planVersion: 2, status: 'mvp', weight: 0, step: -1, stepStartedAt: null });
    expect(t.event).toMatchObject({ action: 'plan-deployed', from: { status: 'rollback' }, to: { status: 'mvp' } });
  });

  it("keeps the weight under a new plan and maps it to the new plan's steps", () => {
    let state: RolloutState = initialState(plan, T0);
    state = promote(plan, state, admin('10')).state;
    state = promote(plan, state, admin('50')).state;
    const v2 = { ...plan, version: 2, steps: [{ weight: 5, minDurationMs: 0 }, { weight: 25, minDurationMs: 0 }, { weight: 75, minDurationMs: 0 }, { weight: 100, minDurationMs: 0 }] };
    expect(adoptPlan(v2, state, { actor: 'deploy', reason: 'finer steps', at: T0 }).state).toMatchObject({ weight: 50, step: 1, status: 'migrating', planVersion: 2 });
  });

  it('never leaves 0..100, and records every change as an event, whatever the sequence of actions', () => {
    const action = fc.oneof(
      fc.constant('promote' as const),
      fc.constant('rollback' as const),
      fc.constant('resume' as const),
      fc.integer({ min: 0, max: 10_000 }).map((w) => w / 100),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        let state = initialState(plan, T0);
        for (const a of actions) {
          try {
            const ctx = admin(String(a));
            const t = a === 'promote' ? promote(plan, state, ctx) : a === 'rollback' ? rollback(plan, state, ctx) : a === 'resume' ? resume(plan, state, ctx) : setWeight(plan, state, { ...ctx, weight: a });
            // Every change is recorded: the event says who, when, why, and the state before and after.
            expect(t.event).toMatchObject({ actor: 'admin', at: T0, reason: String(a), component: 'stt', from: snapshotOf(state), to: snapshotOf(t.state) });
            state = t.state;
          } catch (e) {
            expect(e).toBeInstanceOf(TransitionError);
          }
          expect(state.weight).toBeGreaterThanOrEqual(0);
          expect(state.weight).toBeLessThanOrEqual(100);
          if (state.status === 'rollback') expect(state.weight).toBe(0);
          if (state.status === 'mvp') expect(state.weight).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
