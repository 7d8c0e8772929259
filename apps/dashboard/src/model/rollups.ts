// The gateway's stored per-minute rollups (the engine's MinuteRollup: count, errors, cost and a mergeable
// latency histogram per minute, component, provider and route) → chart points per provider. Coarser
// buckets merge the histograms, so a 7-day p95 is a true percentile, not an average of percentiles.
import { emptyHistogram, mergeHistograms, quantile, type HistogramData, type MinuteRollup } from '@bascule/routing';
import { isObject, readNumber, readString } from './read.ts';
import type { HistoryPoint } from './types.ts';

interface Bucket {
  t: number;
  provider: string;
  count: number;
  errors: number;
  cost: number;
  histogram: HistogramData;
}

function isHistogram(value: unknown): value is HistogramData {
  return isObject(value) && Array.isArray(value.counts) && value.counts.every((c) => typeof c === 'number');
}

/** True when a list item looks like a stored rollup rather than a precomputed point. */
export function isRollup(item: unknown): item is MinuteRollup {
  return isObject(item) && typeof item.minute === 'number' && isHistogram(item.histogram);
}

/**
 * Merges rollups by provider (the students' routes together) into buckets of `bucketMs`. The shadow
 * comparison's calls (route `shadow`, decision 0015) are left out: they are no student's request.
 */
export function rollupsToPoints(rollups: readonly unknown[], bucketMs: number): HistoryPoint[] {
  const buckets = new Map<string, Bucket>();
  for (const r of rollups) {
    if (!isRollup(r) || readString(r, 'route') === 'shadow') continue;
    const t = Math.floor(r.minute / bucketMs) * bucketMs;
    const provider = readString(r, 'provider') ?? '?';
    const key = `${t}|${provider}`;
    const b = buckets.get(key) ?? { t, provider, count: 0, errors: 0, cost: 0, histogram: emptyHistogram() };
    b.count += readNumber(r, 'count') ?? 0;
    b.errors += readNumber(r, 'errors') ?? 0;
    b.cost += readNumber(r, 'costEur') ?? 0;
    b.histogram = mergeHistograms(b.histogram, r.histogram);
    buckets.set(key, b);
  }
  return [...buckets.values()]
    .map((b) => ({
      t: b.t,
      provider: b.provider,
      p50Ms: quantile(b.histogram, 0.5),
      p95Ms: quantile(b.histogram, 0.95),
      errorRate: b.count > 0 ? b.errors / b.count : null,
      requests: b.count,
      cost: b.cost,
    }))
    .sort((a, b) => a.t - b.t || a.provider.localeCompare(b.provider));
}
