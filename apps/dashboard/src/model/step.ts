// The plan step as people read it: "step 2 of 3 · 50 % · 5 h 12 min of 48 h". The engine keeps the step
// index when a weight is set by hand (and the index is -1 before the first step), so when the weight is not
// the step's own the text says it was set by hand and what the plan's step is.
import { fill } from '../i18n/dictionary.ts';
import { formatDuration, formatNumber, type Locale } from './format.ts';
import type { ComponentView } from './types.ts';

export interface StepWords {
  notStarted: string;
  of: string;
  held: string;
  byHand: string;
  beforeFirst: string;
  rolledBack: string;
}

export const STEP_WORDS_EN: StepWords = {
  notStarted: 'not started · {weight}',
  of: 'step {n} of {total} · {weight}',
  held: '{held} of {min}',
  byHand: 'set by hand · {weight} (plan: {planWeight} at step {n})',
  beforeFirst: 'set by hand · {weight} (before step 1)',
  rolledBack: 'rolled back from step {n} of {total} · {weight}',
};

export function stepText(c: ComponentView, words: StepWords = STEP_WORDS_EN, locale: Locale = 'en'): string {
  const { index, total, weight: stepWeight, label } = c.step;
  if (label) return label;
  const pct = (w: number): string => `${formatNumber(w, locale, 2)} %`;
  const weight = pct(c.weight);
  if (index === null) return '—';
  const n = index + 1;
  const of = total ?? '?';
  if (c.status === 'rollback') return index >= 0 ? fill(words.rolledBack, { n, total: of, weight }) : weight;
  if (index < 0) return c.weight === 0 ? fill(words.notStarted, { weight }) : fill(words.beforeFirst, { weight });
  if (stepWeight !== null && stepWeight !== c.weight) return fill(words.byHand, { weight, planWeight: pct(stepWeight), n });
  const time = c.plan.stepTime;
  const base = fill(words.of, { n, total: of, weight });
  if (!time) return base;
  return `${base} · ${fill(words.held, { held: formatDuration(time.heldMs, locale), min: formatDuration(time.minMs, locale) })}`;
}
