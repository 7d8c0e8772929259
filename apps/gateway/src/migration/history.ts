// A component's history for the dashboard's charts: the stored per-minute rollups (plus the minutes not
// flushed yet) of the last hour, 48 hours or 7 days, merged into coarser buckets for the longer ranges so
// the answer stays small. Merging adds the histograms, so a bucket's p95 is still a true percentile.
// Seven days are ~30 000 stored minutes (12 MB of JSON for one component): the buckets that can no longer
// change are merged once and kept in memory, so a chart's poll reads only the last few minutes again.
import { HISTORY_BUCKET_MS, HISTORY_RANGE_MS, type HistoryRange, type HistoryResponse } from '@bascule/contracts';
import type { Component, MinuteRollup } from '@bascule/routing';
import { SETTLE_MS, type RollupSource } from './settled.ts';
import { iso } from './views.ts';

/** Start of the first bucket of a range ending at `now`: whole buckets, the current (partial) one included. */
export function historyStart(range: HistoryRange, now: number): number {
  const bucketMs = HISTORY_BUCKET_MS[range];
  return Math.floor(now / bucketMs) * bucketMs - HISTORY_RANGE_MS[range] + bucketMs;
}

const order = (a: MinuteRollup, b: MinuteRollup): number => a.minute - b.minute || a.provider.localeCompare(b.provider) || a.route.localeCompare(b.route);

/** Adds `r` into `into` in place (counts, sums, histogram buckets, min and max). */
function addInto(into: MinuteRollup, r: MinuteRollup): void {
  into.count += r.count;
  into.errors += r.errors;
  into.latencySumMs += r.latencySumMs;
  into.costEur += r.costEur;
  const counts = into.histogram.counts;
  r.histogram.counts.forEach((n, i) => {
    counts[i] = (counts[i] ?? 0) + n;
  });
  const { min, max } = r.histogram;
  if (min !== null) into.histogram.min = into.histogram.min === null ? min : Math.min(into.histogram.min, min);
  if (max !== null) into.histogram.max = into.histogram.max === null ? max : Math.max(into.histogram.max, max);
}

/**
 * Rollups re-keyed to the start of their bucket and merged (one per bucket, provider and route); oldest
 * first, then by provider and route. Accumulates in place: the engine's mergeRollups copies a histogram
 * per merge, ten times slower over a week of minutes.
 */
export function bucketRollups(rollups: Iterable<MinuteRollup>, bucketMs: number): MinuteRollup[] {
  const byKey = new Map<string, MinuteRollup>();
  for (const r of rollups) {
    const minute = Math.floor(r.minute / bucketMs) * bucketMs;
    const key = `${minute}|${r.component}|${r.provider}|${r.route}`;
    const seen = byKey.get(key);
    if (seen) addInto(seen, r);
    else byKey.set(key, { ...r, minute, histogram: { counts: [...r.histogram.counts], min: r.histogram.min, max: r.histogram.max } });
  }
  return [...byKey.values()].sort(order);
}

/** The settled buckets of each (component, bucket width), merged once. */
export class HistoryCache {
  private readonly settled = new Map<string, Map<number, MinuteRollup[]>>();

  constructor(
    private readonly source: RollupSource,
    private readonly settleMs = SETTLE_MS,
  ) {}

  /** The range's rollups in buckets: settled ones from memory, the rest from the store and `unflushed`. */
  async rollups(component: Component, range: HistoryRange, now: number, unflushed: Iterable<MinuteRollup>): Promise<MinuteRollup[]> {
    const bucketMs = HISTORY_BUCKET_MS[range];
    const from = historyStart(range, now);
    // Buckets starting before this one ended more than settleMs ago.
    const settledUntil = Math.floor((now - this.settleMs) / bucketMs) * bucketMs;
    const key = `${component}|${bucketMs}`;
    const cache = this.settled.get(key) ?? new Map<number, MinuteRollup[]>();
    this.settled.set(key, cache);
    for (const start of cache.keys()) if (start < from) cache.delete(start);

    let readFrom = from;
    while (readFrom < settledUntil && cache.has(readFrom)) readFrom += bucketMs;
    const recent = [...unflushed].filter((r) => r.component === component && r.minute >= readFrom && r.minute <= now);
    const stored = await this.source.rollupsSince(readFrom, component);
    const fresh = bucketRollups([...stored.filter((r) => r.minute <= now), ...recent], bucketMs);
    for (let start = readFrom; start < settledUntil; start += bucketMs) cache.set(start, []);
    for (const r of fresh) if (r.minute < settledUntil) cache.get(r.minute)!.push(r);

    const kept: MinuteRollup[] = [];
    for (let start = from; start < readFrom; start += bucketMs) kept.push(...cache.get(start)!);
    // Copies: a caller may change what it gets, and the cache must not change with it.
    return [...kept, ...fresh].map((r) => ({ ...r, histogram: { ...r.histogram, counts: [...r.histogram.counts] } }));
  }
}

/** The history response from bucketed rollups. */
export function historyView(component: Component, range: HistoryRange, bucketed: MinuteRollup[], now: number): HistoryResponse {
  return { component, range, bucketMs: HISTORY_BUCKET_MS[range], from: iso(historyStart(range, now)), to: iso(now), rollups: bucketed };
}
