// The users' ratings of a component (GET /admin/v1/components/{c}/satisfaction), as the page shows them:
// the mean /10 and the NPS-like score over the last hour, for everyone and for the candidate's students.
import { readArray, readNumber, readObject, readString } from './read.ts';
import type { SeriesSet } from './series.ts';

export interface SatisfactionView {
  ratings: number;
  /** Mean score 0..10; null without ratings. */
  mean: number | null;
  /** −100..100; null without ratings. */
  nps: number | null;
  /** The candidate's students' mean, and how many rated. */
  productionMean: number | null;
  productionRatings: number;
  /** Below this mean the gateway alerts (7). */
  alertBelow: number;
  /** The mean per history bucket, for the history charts. */
  series: SeriesSet;
}

/** null when the answer is not understood (an older gateway has no such route). */
export function normalizeSatisfaction(answer: unknown): SatisfactionView | null {
  const all = readObject(answer, 'all');
  if (all === null) return null;
  return {
    ratings: readNumber(all, 'ratings') ?? 0,
    mean: readNumber(all, 'mean'),
    nps: readNumber(all, 'nps'),
    productionMean: readNumber(answer, 'production.mean'),
    productionRatings: readNumber(answer, 'production.ratings') ?? 0,
    alertBelow: readNumber(answer, 'alertBelow') ?? 7,
    series: seriesOf(readArray(answer, 'series')),
  };
}

function seriesOf(buckets: unknown[]): SeriesSet {
  const points = buckets.map((b) => ({ t: Date.parse(readString(b, 't') ?? ''), mean: readNumber(b, 'mean') })).filter((p) => Number.isFinite(p.t));
  return { x: points.map((p) => p.t / 1000), series: [{ label: 'mean /10', provider: 'all', values: points.map((p) => p.mean) }] };
}

/** The tile's tone: bad below the alert's threshold, good at 8/10 and above (the plan's final objective). */
export function satisfactionTone(view: SatisfactionView | null): 'good' | 'warn' | 'bad' | undefined {
  if (view?.mean === null || view === null) return undefined;
  if (view.mean < view.alertBelow) return 'bad';
  return view.mean >= 8 ? 'good' : 'warn';
}
