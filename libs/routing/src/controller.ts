// The analysis loop's decision: nothing, hold, roll back, or promote. Pure; `applyDecision` turns it into a
// transition (new state + audit event) with actor `analysis`.
import { openCriteria, type Alert, type Evaluation } from './analysis.ts';
import { analysisStart, promote, rollback, type RolloutPlan, type RolloutState, type Transition } from './plan.ts';

export type DecisionAction = 'none' | 'hold' | 'rollback' | 'promote';

export interface Decision {
  action: DecisionAction;
  reason: string;
  /** Consecutive evaluations with a critical alert on the production provider; feed it to the next call. */
  criticalStreak: number;
  /** How many consecutive critical evaluations trigger the automatic rollback (the plan's). */
  rollbackAfter: number;
  /** The analysis the streak was counted in (`analysisStart(state)`); feed it to the next call too. */
  analysisStartedAt: number | null;
}

export interface DecideInput {
  plan: RolloutPlan;
  state: RolloutState;
  analysis: { alerts: readonly Alert[]; evaluation: Evaluation };
  /** The previous decision's `criticalStreak` (0 at start). */
  criticalStreak: number;
  /**
   * The previous decision's `analysisStartedAt`. When the state has started a fresh analysis since (a resume,
   * a weight set by hand), the streak starts again from 0. Omitted: the streak is taken as it is.
   */
  streakAnalysisStartedAt?: number | null;
  now: number;
}

export const ANALYSIS_ACTOR = 'analysis';

export function decide(input: DecideInput): Decision {
  const decision = decideAction(input);
  return { ...decision, rollbackAfter: input.plan.rollbackAfterEvaluations, analysisStartedAt: analysisStart(input.state) };
}

function decideAction({ plan, state, analysis, criticalStreak: carried, streakAnalysisStartedAt, now }: DecideInput): Omit<Decision, 'rollbackAfter' | 'analysisStartedAt'> {
  const criticalStreak = streakAnalysisStartedAt === undefined || streakAnalysisStartedAt === analysisStart(state) ? carried : 0;
  if (state.status === 'mvp' || state.status === 'rollback' || state.weight === 0) {
    return { action: 'none', reason: `status ${state.status}: nothing exposed to ${plan.productionProvider}`, criticalStreak: 0 };
  }
  const critical = analysis.alerts.filter((a) => a.severity === 'critical' && a.provider === plan.productionProvider);
  if (critical.length > 0) {
    const streak = criticalStreak + 1;
    const what = critical.map((a) => a.message).join('; ');
    if (streak >= plan.rollbackAfterEvaluations) {
      return { action: 'rollback', reason: `automatic rollback after ${streak} consecutive critical evaluations: ${what}`, criticalStreak: streak };
    }
    return { action: 'hold', reason: `critical (${streak}/${plan.rollbackAfterEvaluations}): ${what}`, criticalStreak: streak };
  }
  const { evaluation } = analysis;
  if (state.status === 'production') return { action: 'none', reason: 'migration complete', criticalStreak: 0 };
  if (evaluation.verdict !== 'GO') {
    const open = openCriteria(evaluation);
    return { action: 'hold', reason: `${evaluation.verdict}: ${open.join(', ')}`, criticalStreak: 0 };
  }
  if (!plan.autoPromote) return { action: 'none', reason: 'GO; automatic promotion is off', criticalStreak: 0 };
  const step = plan.steps[state.step];
  if (!step) return { action: 'none', reason: `GO; weight ${state.weight} % was set by hand before the first step: promote by hand`, criticalStreak: 0 };
  const elapsed = state.stepStartedAt === null ? 0 : now - state.stepStartedAt;
  if (elapsed < step.minDurationMs) {
    return { action: 'hold', reason: `GO; step ${state.step + 1} held ${formatMs(elapsed)} of ${formatMs(step.minDurationMs)}`, criticalStreak: 0 };
  }
  const next = plan.steps[state.step + 1];
  const target = next ? `step ${state.step + 2} (${next.weight} %)` : 'production (migration complete)';
  return { action: 'promote', reason: `GO after ${formatMs(elapsed)} at ${state.weight} %: promoting to ${target}`, criticalStreak: 0 };
}

/** The transition a decision asks for, or null for `none` / `hold`. */
export function applyDecision(plan: RolloutPlan, state: RolloutState, decision: Pick<Decision, 'action' | 'reason'> & Partial<Decision>, at: number): Transition | null {
  const ctx = { actor: ANALYSIS_ACTOR, reason: decision.reason, at };
  if (decision.action === 'rollback') return rollback(plan, state, ctx);
  if (decision.action === 'promote') return promote(plan, state, ctx);
  return null;
}

function formatMs(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${Math.round(h * 10) / 10} h` : `${Math.round(ms / 1000)} s`;
}
