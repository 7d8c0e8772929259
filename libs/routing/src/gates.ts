// Gates on the actions a person takes (Flagger's scheduler_hooks.go, Argo Rollouts' analysis gates): raising
// the weight or promoting needs the GO verdict (every criterion PASS with enough samples), no critical alert
// on the candidate and the current step's minimum time; or an explicit override, whose own reason and what it
// overrode are written into the audit event. Starting the rollout (MVP → the first step) needs no GO:
// nothing has been measured on students yet; but a criterion that already FAILs (the shadow comparison's
// quality, decision 0015; an open breaker) blocks it. Lowering the weight, rolling back and resuming are never gated:
// they reduce exposure, or (resume) restart at the first step with a fresh analysis that no criterion can have
// judged yet, guarded by the automatic rollback.
import type { Alert, Evaluation } from './analysis.ts';
import { promote, resume, setWeight, TransitionError, type RolloutPlan, type RolloutState, type Transition, type TransitionContext } from './plan.ts';

export type GatedAction = 'set-weight' | 'promote' | 'resume';

/** Why an action is blocked: `verdict` (not GO), `critical_alert` (on the candidate), `min_time` (step too young). */
export type GateBlockerCode = 'verdict' | 'critical_alert' | 'min_time';

export interface GateBlocker {
  code: GateBlockerCode;
  message: string;
}

/** What the gates look at: the current analysis (the same one the views show). */
export interface GateInput {
  evaluation: Evaluation;
  alerts: readonly Alert[];
  now: number;
}

export interface Override {
  /** Why the person goes ahead despite the blockers; recorded in the audit event. */
  reason: string;
}

/** An action refused by its gates; `blockers` says what blocks it. The admin API answers it with 409. */
export class GateError extends TransitionError {
  constructor(
    readonly action: GatedAction,
    readonly blockers: readonly GateBlocker[],
  ) {
    super(`${action} is blocked: ${blockers.map((b) => b.message).join('; ')}; give an override with its reason to go ahead anyway`);
  }
}

/** Whether the action raises exposure (only those are gated). */
export function isGated(action: GatedAction, state: RolloutState, weight?: number): boolean {
  if (action === 'promote') return true;
  if (action === 'set-weight') return weight !== undefined && weight > state.weight;
  return false;
}

/**
 * Leaving the MVP for the plan's first step (or less): the candidate has served nobody yet, so there is no
 * GO to wait for; a FAIL already measured (shadow quality, open breaker) and the alerts still block.
 */
export function startsTheRollout(plan: RolloutPlan, state: RolloutState, action: GatedAction, weight?: number): boolean {
  if (state.weight > 0) return false;
  const first = plan.steps[0]!.weight;
  return action === 'promote' ? state.step < 0 : weight !== undefined && weight <= first;
}

/** What blocks the action now; empty when it may go ahead. */
export function gateBlockers(plan: RolloutPlan, state: RolloutState, action: GatedAction, input: GateInput, weight?: number): GateBlocker[] {
  if (!isGated(action, state, weight)) return [];
  const blockers: GateBlocker[] = [];
  const { evaluation } = input;
  if (startsTheRollout(plan, state, action, weight)) {
    // Nothing waits for a GO, but what was measured before a student moved (the shadow comparison's
    // quality, an open breaker) can already FAIL: that blocks the start.
    const failing = evaluation.criteria.filter((c) => c.verdict === 'FAIL').map((c) => `${c.id} FAIL`);
    if (failing.length > 0) blockers.push({ code: 'verdict', message: `a criterion fails before the rollout starts (${failing.join(', ')})` });
  } else if (evaluation.verdict !== 'GO') {
    const open = evaluation.criteria.filter((c) => c.verdict !== 'PASS').map((c) => `${c.id} ${c.verdict}`);
    blockers.push({ code: 'verdict', message: `GO/NO-GO is ${evaluation.verdict} (${open.join(', ')})` });
  }
  const critical = input.alerts.filter((a) => a.severity === 'critical' && a.provider === plan.productionProvider);
  if (critical.length > 0) blockers.push({ code: 'critical_alert', message: `critical alert open: ${critical.map((a) => a.message).join('; ')}` });
  const minimum = minimumTimeLeft(plan, state, input.now);
  if (minimum !== null && minimum.leftMs > 0) {
    blockers.push({ code: 'min_time', message: `step ${state.step + 1} has been held ${formatDuration(minimum.heldMs)} of its minimum ${formatDuration(minimum.minMs)}` });
  }
  return blockers;
}

/** Time held in the current step, its minimum and what is left; null before the first step. */
export function minimumTimeLeft(plan: RolloutPlan, state: RolloutState, now: number): { heldMs: number; minMs: number; leftMs: number } | null {
  const step = plan.steps[state.step];
  if (!step || state.stepStartedAt === null) return null;
  const heldMs = Math.max(0, now - state.stepStartedAt);
  return { heldMs, minMs: step.minDurationMs, leftMs: Math.max(0, step.minDurationMs - heldMs) };
}

export type GatedContext = TransitionContext & { override?: Override };

/**
 * Applies a person's action through its gates. Blocked without an override: throws GateError. With an
 * override (and something to override), the audit reason says so: `<reason> · OVERRIDE: <why> (despite: …)`.
 */
export function gatedTransition(
  plan: RolloutPlan,
  state: RolloutState,
  action: GatedAction,
  ctx: GatedContext & { weight?: number },
  input: GateInput,
): Transition {
  const { override, weight, ...base } = ctx;
  if (override !== undefined && (typeof override.reason !== 'string' || override.reason.trim().length < 3)) {
    throw new TypeError('override.reason: expected a text of at least 3 characters saying why the gates are overridden');
  }
  const blockers = gateBlockers(plan, state, action, input, weight);
  if (blockers.length > 0 && override === undefined) throw new GateError(action, blockers);
  const reason = blockers.length > 0 ? overrideReason(base.reason, override!.reason, blockers) : base.reason;
  const transitionCtx = { ...base, reason };
  if (action === 'promote') return promote(plan, state, transitionCtx);
  if (action === 'resume') return resume(plan, state, transitionCtx);
  if (weight === undefined) throw new TypeError('weight: expected a weight for set-weight');
  return setWeight(plan, state, { ...transitionCtx, weight });
}

export const OVERRIDE_MARK = 'OVERRIDE';

/** The audit reason of an overridden action. */
export function overrideReason(reason: string, why: string, blockers: readonly GateBlocker[]): string {
  return `${reason} · ${OVERRIDE_MARK}: ${why.trim()} (despite: ${blockers.map((b) => b.message).join('; ')})`;
}

/** "2 h 05 min", "3 d 4 h", "45 s": a duration as a person reads it (the page formats its own, localised). */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
