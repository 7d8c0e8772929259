// `GET /admin/v1/components/{component}/satisfaction?range=1h|48h|7d`: a component's ratings over the
// range (all, per route, per rater) and a series of the mean per history bucket, for the dashboard's tile
// and chart and for `bascule status`.
import { HISTORY_BUCKET_MS, type HistoryRange, type SatisfactionResponse } from '@bascule/contracts';
import { SATISFACTION_ALERT, summarizeSatisfaction, type Component, type SatisfactionMinute } from '@bascule/routing';
import { historyStart } from '../migration/history.ts';
import type { Ratings } from './ratings.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

export function satisfactionView(component: Component, range: HistoryRange, minutes: readonly SatisfactionMinute[], from: number, now: number): SatisfactionResponse {
  const bucketMs = HISTORY_BUCKET_MS[range];
  const buckets = new Map<number, { ratings: number; sum: number }>();
  for (let t = from; t <= now; t += bucketMs) buckets.set(t, { ratings: 0, sum: 0 });
  for (const m of minutes) {
    const b = buckets.get(from + Math.floor((m.minute - from) / bucketMs) * bucketMs);
    if (!b) continue;
    b.ratings += m.count;
    b.sum += m.sum;
  }
  return {
    component,
    range,
    from: iso(from),
    to: iso(now),
    all: summarizeSatisfaction(minutes),
    production: summarizeSatisfaction(minutes, { route: 'production' }),
    mvp: summarizeSatisfaction(minutes, { route: 'mvp' }),
    byRater: { student: summarizeSatisfaction(minutes, { rater: 'student' }), teacher: summarizeSatisfaction(minutes, { rater: 'teacher' }) },
    alertBelow: SATISFACTION_ALERT.below,
    series: [...buckets].map(([t, b]) => ({ t: iso(t), ratings: b.ratings, mean: b.ratings === 0 ? null : b.sum / b.ratings })),
  };
}

export async function readSatisfaction(ratings: Ratings, component: Component, range: HistoryRange, now: number): Promise<SatisfactionResponse> {
  const from = historyStart(range, now);
  return satisfactionView(component, range, await ratings.since(component, from), from, now);
}
