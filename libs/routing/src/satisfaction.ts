// User satisfaction (the plan's NPS-like metric): ratings 0..10 by a student or a teacher, per component,
// kept as per-minute aggregates (count, sum, one bucket per score) so replicas add up and nothing about a
// single rating, or who gave it, survives. Promoters rate 9–10, detractors 0–6 (Net Promoter Score's bands);
// the plan alerts below 7/10 and aims above 8/10.
import { minuteOf } from './metrics.ts';
import type { Component, ProviderId, Route } from './types.ts';

export const SATISFACTION_RATERS = ['student', 'teacher'] as const;
export type SatisfactionRater = (typeof SATISFACTION_RATERS)[number];

/** The highest score (scores are whole numbers 0..10). */
export const MAX_SCORE = 10;

/** One minute of ratings of one component, for the provider and route the rater's student was routed to. */
export interface SatisfactionMinute {
  minute: number;
  component: Component;
  provider: ProviderId;
  route: Route;
  rater: SatisfactionRater;
  count: number;
  sum: number;
  /** `histogram[s]`: how many rated `s` (11 buckets, 0..10). */
  histogram: number[];
}

export interface Rating {
  at: number;
  component: Component;
  provider: ProviderId;
  route: Route;
  rater: SatisfactionRater;
  score: number;
}

export const satisfactionKey = (m: Pick<SatisfactionMinute, 'minute' | 'component' | 'provider' | 'route' | 'rater'>): string =>
  `${m.minute}|${m.component}|${m.provider}|${m.route}|${m.rater}`;

export const emptyScoreHistogram = (): number[] => new Array<number>(MAX_SCORE + 1).fill(0);

export function isScore(score: unknown): score is number {
  return typeof score === 'number' && Number.isInteger(score) && score >= 0 && score <= MAX_SCORE;
}

/** A new minute aggregate holding one rating. */
export function minuteOfRating(r: Rating): SatisfactionMinute {
  const m: SatisfactionMinute = { minute: minuteOf(r.at), component: r.component, provider: r.provider, route: r.route, rater: r.rater, count: 0, sum: 0, histogram: emptyScoreHistogram() };
  addRating(m, r.score);
  return m;
}

export function addRating(m: SatisfactionMinute, score: number): void {
  if (!isScore(score)) throw new RangeError(`score: expected a whole number from 0 to ${MAX_SCORE}, got ${String(score)}`);
  m.count += 1;
  m.sum += score;
  m.histogram[score] = (m.histogram[score] ?? 0) + 1;
}

/** Adds `b` into a copy of `a` (same key). */
export function mergeSatisfactionMinute(a: Readonly<SatisfactionMinute>, b: Readonly<SatisfactionMinute>): SatisfactionMinute {
  return { ...a, count: a.count + b.count, sum: a.sum + b.sum, histogram: a.histogram.map((n, i) => n + (b.histogram[i] ?? 0)) };
}

/** One aggregate per key, summed. */
export function mergeSatisfaction(minutes: Iterable<Readonly<SatisfactionMinute>>): SatisfactionMinute[] {
  const byKey = new Map<string, SatisfactionMinute>();
  for (const m of minutes) {
    const key = satisfactionKey(m);
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeSatisfactionMinute(seen, m) : { ...m, histogram: [...m.histogram] });
  }
  return [...byKey.values()];
}

export interface SatisfactionStats {
  ratings: number;
  /** Mean score 0..10; null without ratings. */
  mean: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  /** (promoters − detractors) / ratings × 100, −100..100; null without ratings. */
  nps: number | null;
  histogram: number[];
}

export interface SatisfactionFilter {
  provider?: ProviderId;
  route?: Route;
  rater?: SatisfactionRater;
}

/** The ratings of the aggregates that match the filter, added up. */
export function summarizeSatisfaction(minutes: Iterable<Readonly<SatisfactionMinute>>, filter: SatisfactionFilter = {}): SatisfactionStats {
  const histogram = emptyScoreHistogram();
  let ratings = 0;
  let sum = 0;
  for (const m of minutes) {
    if (filter.provider !== undefined && m.provider !== filter.provider) continue;
    if (filter.route !== undefined && m.route !== filter.route) continue;
    if (filter.rater !== undefined && m.rater !== filter.rater) continue;
    ratings += m.count;
    sum += m.sum;
    m.histogram.forEach((n, i) => (histogram[i] = (histogram[i] ?? 0) + n));
  }
  const promoters = (histogram[9] ?? 0) + (histogram[10] ?? 0);
  const detractors = histogram.slice(0, 7).reduce((s, n) => s + n, 0);
  return {
    ratings,
    mean: ratings === 0 ? null : sum / ratings,
    promoters,
    passives: ratings - promoters - detractors,
    detractors,
    nps: ratings === 0 ? null : ((promoters - detractors) / ratings) * 100,
    histogram,
  };
}

/** The plan's alert: mean below 7/10 over the last hour, once at least 10 ratings say so. */
export const SATISFACTION_ALERT = { below: 7, minRatings: 10, windowMs: 60 * 60_000 } as const;
