// Rollout plans (the spec, versioned, deployed by Pulumi) and rollout state (runtime, kept by the gateway).
// Every change of state goes through one of the transitions below, which return the new state and the audit
// event that records it. They are pure: the caller persists both.
import { assertWeight } from './cohort.ts';
import { DEFAULT_THRESHOLDS, defaultCriteria, type AlertThresholds, type CriterionSpec } from './criteria.ts';
import { SELF_HOSTED } from './cost.ts';
import type { Component, MigrationStatus, ProviderId } from './types.ts';

export type PlanVersion = number | string;

/** One step of a rollout: the production cohort's weight (percent) held for at least `minDurationMs`. */
export interface RolloutStep {
  weight: number;
  minDurationMs: number;
}

export interface RolloutPlan {
  component: Component;
  /** Deploying a new version clears a rollback (see `adoptPlan`). */
  version: PlanVersion;
  productionProvider: ProviderId;
  mvpProvider: ProviderId;
  /** The request deadline, fallback included. */
  slaMs: number;
  /** Increasing weights; the last one is normally 100. */
  steps: RolloutStep[];
  /** GO/NO-GO criteria gating each promotion. */
  criteria: CriterionSpec[];
  thresholds: AlertThresholds;
  /** Promote to the next step automatically when the pause has elapsed and the verdict is GO. */
  autoPromote: boolean;
  /** Consecutive critical evaluations before an automatic rollback. */
  rollbackAfterEvaluations: number;
}

/** A component's rollout state at runtime. `step` is an index into `plan.steps`, -1 before the first step. */
export interface RolloutState {
  component: Component;
  planVersion: PlanVersion;
  status: MigrationStatus;
  step: number;
  weight: number;
  /** When the current step began (ms since epoch); null before the first step. */
  stepStartedAt: number | null;
  /**
   * When the current analysis began (ms since epoch): every transition but a rollback starts a fresh one, so
   * a resume or a weight set by hand is judged on what happens after it, not on the failures before it (as
   * Argo Rollouts and Flagger retry). Absent in states saved before it existed: the step's start stands in.
   */
  analysisStartedAt?: number | null;
  /** Why the last transition happened. */
  reason?: string;
}

export type AuditAction = 'set-weight' | 'promote' | 'rollback' | 'resume' | 'plan-deployed';

/** The part of a state an audit event records. Same shape as the admin API's `{status, weight, step}`. */
export interface StateSnapshot {
  status: MigrationStatus;
  weight: number;
  step: number;
}

/** One entry of the append-only audit log. `at` is ms since epoch; the gateway assigns ids. */
export interface AuditEvent {
  at: number;
  component: Component;
  /** `admin`, `analysis` or `deploy` by convention; any non-empty name. */
  actor: string;
  action: AuditAction;
  reason: string;
  from: StateSnapshot;
  to: StateSnapshot;
}

export interface TransitionContext {
  actor: string;
  reason: string;
  at: number;
}

export interface Transition {
  state: RolloutState;
  event: AuditEvent;
}

/** Thrown when a transition is not allowed from the current state. */
export class TransitionError extends Error {
  override readonly name = 'TransitionError';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The plan's rollout: 10 % for 48 h, 50 % for 48 h, 100 % for 7 days. */
export const DEFAULT_STEPS: readonly RolloutStep[] = [
  { weight: 10, minDurationMs: 48 * HOUR },
  { weight: 50, minDurationMs: 48 * HOUR },
  { weight: 100, minDurationMs: 7 * DAY },
];

export const DEFAULT_PROVIDERS: Readonly<Record<Component, { mvp: ProviderId; production: ProviderId }>> = {
  llm: { mvp: 'huggingface', production: 'groq' },
  stt: { mvp: 'openai-whisper', production: 'faster-whisper' },
  tts: { mvp: 'web-speech', production: 'coqui' },
  vision: { mvp: 'easyocr', production: 'trocr' },
};

export const DEFAULT_SLA_MS: Readonly<Record<Component, number>> = { llm: 3000, stt: 2000, tts: 1500, vision: 2000 };

/** The design's plan for a component, with any field overridden; validated. */
export function defaultPlan(component: Component, overrides: Partial<Omit<RolloutPlan, 'component'>> = {}): RolloutPlan {
  const providers = DEFAULT_PROVIDERS[component];
  if (!providers) throw new TypeError(`component: expected one of llm, stt, tts, vision, got ${String(component)}`);
  const productionProvider = overrides.productionProvider ?? providers.production;
  const plan: RolloutPlan = {
    component,
    version: 1,
    productionProvider: providers.production,
    mvpProvider: providers.mvp,
    slaMs: DEFAULT_SLA_MS[component],
    steps: DEFAULT_STEPS.map((s) => ({ ...s })),
    // A paid API's capacity is its vendor's: the capacity criterion judges only hosts we run.
    criteria: defaultCriteria(component).filter((c) => c.id !== 'capacity' || SELF_HOSTED.has(productionProvider)),
    thresholds: { ...DEFAULT_THRESHOLDS },
    autoPromote: false,
    rollbackAfterEvaluations: 3,
    ...overrides,
  };
  validatePlan(plan);
  return plan;
}

/** Throws a TypeError naming the first bad field (`steps[1].weight: ...`). */
export function validatePlan(plan: RolloutPlan): void {
  const fail = (field: string, expected: string): never => {
    throw new TypeError(`plan.${field}: expected ${expected}`);
  };
  if (plan.productionProvider === plan.mvpProvider) fail('productionProvider', 'a provider different from mvpProvider');
  if (!Number.isInteger(plan.slaMs) || plan.slaMs <= 0) fail('slaMs', 'a positive whole number of milliseconds');
  if (!Array.isArray(plan.steps) || plan.steps.length === 0) fail('steps', 'at least one step');
  plan.steps.forEach((step, i) => {
    const previous = plan.steps[i - 1];
    if (!Number.isFinite(step.weight) || step.weight <= 0 || step.weight > 100) fail(`steps[${i}].weight`, 'a number in (0, 100]');
    if (previous && step.weight <= previous.weight) fail(`steps[${i}].weight`, `more than the previous step's weight (${previous.weight})`);
    if (!Number.isFinite(step.minDurationMs) || step.minDurationMs < 0) fail(`steps[${i}].minDurationMs`, 'a duration >= 0 ms');
  });
  if (!Number.isInteger(plan.rollbackAfterEvaluations) || plan.rollbackAfterEvaluations < 1) {
    fail('rollbackAfterEvaluations', 'a whole number >= 1');
  }
  if (typeof plan.autoPromote !== 'boolean') fail('autoPromote', 'true or false');
  const t = plan.thresholds;
  if (!(t?.p95WarningMs > 0)) fail('thresholds.p95WarningMs', 'a latency > 0 ms');
  if (!(t.errorRateCritical > 0 && t.errorRateCritical < 1)) fail('thresholds.errorRateCritical', 'a ratio between 0 and 1 (0.05 for 5 %)');
  if (!(t.healthWarning >= 0 && t.healthWarning <= 100)) fail('thresholds.healthWarning', 'a score between 0 and 100');
  if (!(Number.isInteger(t.minRequests) && t.minRequests >= 0)) fail('thresholds.minRequests', 'a whole number >= 0');
  if (t.qualityWarning !== undefined && !(t.qualityWarning > 0 && t.qualityWarning < 1)) fail('thresholds.qualityWarning', 'a fraction between 0 and 1 (0.8 for 80 %)');
  if (!Array.isArray(plan.criteria)) fail('criteria', 'a list of criteria');
  plan.criteria.forEach((c, i) => {
    if (!['<', '<=', '>', '>='].includes(c.comparator)) fail(`criteria[${i}].comparator`, "one of '<', '<=', '>', '>='");
    if (!Number.isFinite(c.target)) fail(`criteria[${i}].target`, 'a number');
    if (!(Number.isInteger(c.minSamples) && c.minSamples >= 0)) fail(`criteria[${i}].minSamples`, 'a whole number >= 0');
  });
}

/** The state before any rollout: everybody on MVP. */
export function initialState(plan: RolloutPlan, _now: number): RolloutState {
  return { component: plan.component, planVersion: plan.version, status: 'mvp', step: -1, weight: 0, stepStartedAt: null };
}

/** When the state's current analysis began; null before any. */
export function analysisStart(state: RolloutState): number | null {
  return state.analysisStartedAt ?? state.stepStartedAt;
}

export function snapshotOf(state: RolloutState): StateSnapshot {
  return { status: state.status, weight: state.weight, step: state.step };
}

/** A person (or a script) sets the weight by hand. Not allowed during a rollback: resume first. */
export function setWeight(plan: RolloutPlan, state: RolloutState, ctx: TransitionContext & { weight: number }): Transition {
  assertWeight(ctx.weight);
  if (Math.abs(ctx.weight * 100 - Math.round(ctx.weight * 100)) > 1e-6) {
    throw new RangeError(`weight: expected at most two decimals (0.01 % resolution), got ${ctx.weight}`);
  }
  if (state.status === 'rollback') throw new TransitionError(`${plan.component} is rolled back: resume it or deploy a new plan before setting the weight`);
  const status: MigrationStatus =
    ctx.weight === 0 ? 'mvp' : state.status === 'production' && ctx.weight === 100 ? 'production' : 'migrating';
  return apply(plan, state, 'set-weight', ctx, { status, weight: ctx.weight, step: state.step }, false);
}

/**
 * Next step of the plan (the first one after the current step with a higher weight); past the last step,
 * the migration is complete (status `production`).
 */
export function promote(plan: RolloutPlan, state: RolloutState, ctx: TransitionContext): Transition {
  if (state.status === 'rollback') throw new TransitionError(`${plan.component} is rolled back: resume it before promoting`);
  if (state.status === 'production') throw new TransitionError(`${plan.component} is already in production: nothing to promote`);
  // The next step raises the weight: after a weight set by hand, steps at or below it are skipped.
  const next = plan.steps.findIndex((s, i) => i > state.step && s.weight > state.weight);
  const step = plan.steps[next];
  if (step === undefined) {
    const last = plan.steps.length - 1;
    return apply(plan, state, 'promote', ctx, { status: 'production', weight: plan.steps[last]!.weight, step: last }, false);
  }
  return apply(plan, state, 'promote', ctx, { status: 'migrating', weight: step.weight, step: next }, true);
}

/** Everybody back on MVP. Stays a rollback until `resume` or `adoptPlan` with a new version. */
export function rollback(plan: RolloutPlan, state: RolloutState, ctx: TransitionContext): Transition {
  if (state.status === 'rollback') throw new TransitionError(`${plan.component} is already rolled back`);
  if (state.status === 'mvp' && state.weight === 0) throw new TransitionError(`${plan.component} is on MVP: nothing to roll back`);
  return apply(plan, state, 'rollback', ctx, { status: 'rollback', weight: 0, step: state.step }, false);
}

/** After a rollback, restart the rollout at the plan's first step (criteria are earned again at low exposure). */
export function resume(plan: RolloutPlan, state: RolloutState, ctx: TransitionContext): Transition {
  if (state.status !== 'rollback') throw new TransitionError(`${plan.component} is not rolled back (status ${state.status}): nothing to resume`);
  return apply(plan, state, 'resume', ctx, { status: 'migrating', weight: plan.steps[0]!.weight, step: 0 }, true);
}

/**
 * A new plan version is deployed. A rollback is cleared (back to MVP, step -1); otherwise the weight is kept
 * and the step becomes the new plan's last step whose weight is at most the current weight.
 */
export function adoptPlan(plan: RolloutPlan, state: RolloutState, ctx: TransitionContext): Transition {
  validatePlan(plan);
  if (plan.component !== state.component) throw new TypeError(`plan.component: expected ${state.component}, got ${plan.component}`);
  if (plan.version === state.planVersion) throw new TransitionError(`${plan.component}: plan version ${String(plan.version)} is already deployed`);
  const to: StateSnapshot =
    state.status === 'rollback'
      ? { status: 'mvp', weight: 0, step: -1 }
      : { status: state.status, weight: state.weight, step: plan.steps.findLastIndex((s) => s.weight <= state.weight) };
  const transition = apply(plan, state, 'plan-deployed', ctx, to, to.step !== state.step);
  return { ...transition, state: { ...transition.state, planVersion: plan.version } };
}

function apply(
  plan: RolloutPlan,
  state: RolloutState,
  action: AuditAction,
  ctx: TransitionContext,
  to: StateSnapshot,
  newStep: boolean,
): Transition {
  checkContext(ctx);
  if (state.component !== plan.component) throw new TypeError(`state.component: expected ${plan.component}, got ${state.component}`);
  const stepStartedAt = to.step < 0 ? null : newStep || state.stepStartedAt === null ? ctx.at : state.stepStartedAt;
  // A rollback keeps the analysis that decided it (its alerts stay on screen); anything else starts afresh.
  const analysisStartedAt = action === 'rollback' ? analysisStart(state) : ctx.at;
  const next: RolloutState = { ...state, ...to, stepStartedAt, analysisStartedAt, reason: ctx.reason };
  const event: AuditEvent = { at: ctx.at, component: plan.component, actor: ctx.actor, action, reason: ctx.reason, from: snapshotOf(state), to };
  return { state: next, event };
}

function checkContext(ctx: TransitionContext): void {
  if (typeof ctx.actor !== 'string' || ctx.actor.trim() === '') throw new TypeError('actor: expected a non-empty name');
  if (typeof ctx.reason !== 'string' || ctx.reason.trim() === '') throw new TypeError('reason: expected a non-empty text');
  if (!Number.isFinite(ctx.at)) throw new TypeError('at: expected a time in ms since the epoch');
}
