// Rollups → the column arrays uPlot draws (x in seconds, one array per series, null for gaps).
import type { HistoryPoint } from './types.ts';

export type Range = '1h' | '48h' | '7d';
export const RANGES: readonly Range[] = ['1h', '48h', '7d'];
export const RANGE_MS: Record<Range, number> = { '1h': 3_600_000, '48h': 172_800_000, '7d': 604_800_000 };

export interface SeriesSet {
  x: number[];
  series: { label: string; provider: string; values: (number | null)[] }[];
}

export type Measure = 'p50Ms' | 'p95Ms' | 'errorRate' | 'share' | 'cost';

function providersOf(points: HistoryPoint[]): string[] {
  return [...new Set(points.map((p) => p.provider))].sort();
}

function byTime(points: HistoryPoint[]): Map<number, HistoryPoint[]> {
  const map = new Map<number, HistoryPoint[]>();
  for (const p of points) {
    const list = map.get(p.t) ?? [];
    list.push(p);
    map.set(p.t, list);
  }
  return map;
}

function valueOf(point: HistoryPoint | undefined, measure: Measure, bucketTotal: number): number | null {
  if (!point) return measure === 'share' ? 0 : null;
  if (measure === 'share') return bucketTotal > 0 ? point.requests / bucketTotal : 0;
  return point[measure];
}

/** One series per provider for one measure. */
export function buildSeries(points: HistoryPoint[], measures: Measure[]): SeriesSet {
  const providers = providersOf(points);
  const buckets = byTime(points);
  const times = [...buckets.keys()].sort((a, b) => a - b);
  const series = providers.flatMap((provider) =>
    measures.map((measure) => ({
      provider,
      label: measures.length > 1 ? `${provider} ${measure.replace('Ms', '')}` : provider,
      values: times.map((t) => {
        const bucket = buckets.get(t) ?? [];
        const total = bucket.reduce((a, p) => a + p.requests, 0);
        return valueOf(bucket.find((p) => p.provider === provider), measure, total);
      }),
    })),
  );
  return { x: times.map((t) => t / 1000), series };
}

/**
 * Merge per-minute rollups into coarser buckets so a 7-day chart draws ~hundreds of points, not 10 080.
 * Latency percentiles of merged buckets are request-weighted means: an approximation for display only
 * (the GO/NO-GO decisions use the gateway's mergeable histograms, not these).
 */
export function downsample(points: HistoryPoint[], bucketMs: number): HistoryPoint[] {
  if (bucketMs <= 60_000) return points;
  const merged = new Map<string, HistoryPoint & { w: number }>();
  for (const p of points) {
    const t = Math.floor(p.t / bucketMs) * bucketMs;
    const key = `${t}|${p.provider}`;
    const m = merged.get(key) ?? { t, provider: p.provider, p50Ms: null, p95Ms: null, errorRate: null, requests: 0, cost: null, w: 0 };
    const w = p.requests || 1;
    const mean = (old: number | null, value: number | null): number | null =>
      value === null ? old : old === null ? value : (old * m.w + value * w) / (m.w + w);
    m.p50Ms = mean(m.p50Ms, p.p50Ms);
    m.p95Ms = mean(m.p95Ms, p.p95Ms);
    m.errorRate = mean(m.errorRate, p.errorRate);
    m.cost = p.cost === null ? m.cost : (m.cost ?? 0) + p.cost;
    m.requests += p.requests;
    m.w += w;
    merged.set(key, m);
  }
  return [...merged.values()].map(({ w: _w, ...p }) => p).sort((a, b) => a.t - b.t);
}

/** The gateway's bucket per range (HISTORY_BUCKET_MS in libs/contracts), for a gateway that does not say. */
export function bucketFor(range: Range): number {
  return range === '1h' ? 60_000 : range === '48h' ? 600_000 : 3_600_000;
}
