// The plan step as people read it. The engine keeps the step index when a weight is set by hand (and the
// index is -1 before the first step), so the index alone can say "0 / 3" for a component at 25 %: when
// the weight is not the step's own, the text says "manual" and where the weight sits in the plan.
import type { ComponentView } from './types.ts';

export interface StepWords {
  /** "manual" */
  manual: string;
  /** "near" (followed by a step) */
  near: string;
  /** "before" (followed by the first step) */
  before: string;
  /** "not started" (weight 0, before the first step) */
  notStarted: string;
}

export const STEP_WORDS_EN: StepWords = { manual: 'manual', near: 'near', before: 'before', notStarted: 'not started' };

const position = (index: number, total: number | null): string => (total === null ? String(index + 1) : `${index + 1} / ${total}`);

/** Index of the last plan step whose weight is at most `weight` (-1 when below the first step). */
export function nearestStep(planWeights: readonly number[], weight: number): number {
  return planWeights.findLastIndex((w) => w <= weight);
}

/**
 * "2 / 3 (50 %)" (1-based for people) when the weight is the step's; "manual — near 1 / 3 (10 %)" or
 * "manual — before 1 / 3 (10 %)" after a weight set by hand; "not started" at weight 0 before step 1.
 */
export function stepText(c: ComponentView, words: StepWords = STEP_WORDS_EN): string {
  const { index, total, weight, label, planWeights } = c.step;
  if (label) return label;
  if (index === null) return '—';
  // A rollback sets the weight to 0 and keeps the step it rolled back from: say that step.
  if (index >= 0 && c.status === 'rollback') return position(index, total);
  if (index >= 0 && (weight === null || weight === c.weight)) return weight === null ? position(index, total) : `${position(index, total)} (${weight} %)`;
  if (index < 0 && c.weight === 0) return words.notStarted;
  if (planWeights.length === 0) return words.manual;
  const near = nearestStep(planWeights, c.weight);
  if (near < 0) return `${words.manual} — ${words.before} ${position(0, total)} (${planWeights[0]} %)`;
  return `${words.manual} — ${words.near} ${position(near, total)} (${planWeights[near]} %)`;
}
