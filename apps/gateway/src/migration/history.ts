// A component's history for the dashboard's charts: the stored per-minute rollups (plus the minutes not
// flushed yet) of the last hour, 48 hours or 7 days, merged into coarser buckets for the longer ranges so
// the answer stays small. Merging adds the histograms, so a bucket's p95 is still a true percentile.
import { HISTORY_BUCKET_MS, HISTORY_RANGE_MS, type HistoryRange, type HistoryResponse } from '@bascule/contracts';
import { mergeRollups, type Component, type MinuteRollup } from '@bascule/routing';
import { iso } from './views.ts';

/** Start of the first bucket of a range ending at `now`: whole buckets, the current (partial) one included. */
export function historyStart(range: HistoryRange, now: number): number {
  const bucketMs = HISTORY_BUCKET_MS[range];
  return Math.floor(now / bucketMs) * bucketMs - HISTORY_RANGE_MS[range] + bucketMs;
}

/** Rollups re-keyed to the start of their bucket and merged; oldest first, then provider and route. */
export function bucketRollups(rollups: Iterable<MinuteRollup>, bucketMs: number): MinuteRollup[] {
  const rekeyed = [...rollups].map((r) => ({ ...r, minute: Math.floor(r.minute / bucketMs) * bucketMs }));
  return mergeRollups(rekeyed).sort((a, b) => a.minute - b.minute || a.provider.localeCompare(b.provider) || a.route.localeCompare(b.route));
}

/** The history response from the rollups since `historyStart(range, now)` (stored and unflushed). */
export function historyView(component: Component, range: HistoryRange, rollups: Iterable<MinuteRollup>, now: number): HistoryResponse {
  const bucketMs = HISTORY_BUCKET_MS[range];
  const from = historyStart(range, now);
  const inRange = [...rollups].filter((r) => r.component === component && r.minute >= from && r.minute <= now);
  return { component, range, bucketMs, from: iso(from), to: iso(now), rollups: bucketRollups(inRange, bucketMs) };
}
