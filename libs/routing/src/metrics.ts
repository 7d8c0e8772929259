// Sliding-window metrics. Every request is folded into a per-minute rollup (component, provider, route),
// whose latency histogram has fixed log-spaced buckets, so rollups merge by adding counts: the gateway
// stores them (they are plain JSON) and a 48 h or 7 day window is the merge of the stored minutes.
import type { Clock, Component, ProviderId, RollupRoute } from './types.ts';

export const MINUTE_MS = 60_000;

/** Bucket i ≥ 1 holds [GROWTH^(i-1), GROWTH^i) ms; bucket 0 holds [0, 1) ms; the last one is open-ended. */
const GROWTH = 1.1;
const MAX_BOUNDED_MS = 600_000;
/** Upper bounds of the buckets, rounded so that every engine computes the same layout. */
export const HISTOGRAM_UPPER_BOUNDS: readonly number[] = (() => {
  const bounds = [1];
  while (bounds.at(-1)! < MAX_BOUNDED_MS) bounds.push(Number((GROWTH ** bounds.length).toPrecision(6)));
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
})();

/** A histogram as stored: counts per bucket (trailing empty buckets trimmed), exact min and max. */
export interface HistogramData {
  counts: number[];
  min: number | null;
  max: number | null;
}

export function emptyHistogram(): HistogramData {
  return { counts: [], min: null, max: null };
}

/** Index of the bucket holding a latency (binary search over the fixed bounds). */
export function bucketIndex(latencyMs: number): number {
  let lo = 0;
  let hi = HISTOGRAM_UPPER_BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (latencyMs < HISTOGRAM_UPPER_BOUNDS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds one latency to a histogram (in place). */
export function recordLatency(h: HistogramData, latencyMs: number): void {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latencyMs: expected a finite number >= 0, got ${latencyMs}`);
  const i = bucketIndex(latencyMs);
  while (h.counts.length <= i) h.counts.push(0);
  h.counts[i]!++;
  h.min = h.min === null ? latencyMs : Math.min(h.min, latencyMs);
  h.max = h.max === null ? latencyMs : Math.max(h.max, latencyMs);
}

/** A new histogram holding both. */
export function mergeHistograms(a: HistogramData, b: HistogramData): HistogramData {
  const counts = Array.from({ length: Math.max(a.counts.length, b.counts.length) }, (_, i) => (a.counts[i] ?? 0) + (b.counts[i] ?? 0));
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) => (x === null ? y : y === null ? x : f(x, y));
  return { counts, min: pick(a.min, b.min, Math.min), max: pick(a.max, b.max, Math.max) };
}

/** Adds `from` into `into` (in place). */
function addHistogramInto(into: HistogramData, from: Readonly<HistogramData>): void {
  from.counts.forEach((c, i) => {
    into.counts[i] = (into.counts[i] ?? 0) + c;
  });
  for (let i = 0; i < into.counts.length; i++) into.counts[i] ??= 0;
  if (from.min !== null) into.min = into.min === null ? from.min : Math.min(into.min, from.min);
  if (from.max !== null) into.max = into.max === null ? from.max : Math.max(into.max, from.max);
}

export function histogramCount(h: HistogramData): number {
  return h.counts.reduce((sum, c) => sum + c, 0);
}

/**
 * The q-quantile (0..1) estimated by linear interpolation inside its bucket, clamped to the exact min and
 * max: within one bucket's width (10 %) of the true value. Null when empty.
 */
export function quantile(h: HistogramData, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q: expected a number between 0 and 1, got ${q}`);
  const total = histogramCount(h);
  if (total === 0 || h.min === null || h.max === null) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lower = i === 0 ? 0 : HISTOGRAM_UPPER_BOUNDS[i - 1]!;
      const upper = Math.min(HISTOGRAM_UPPER_BOUNDS[i]!, h.max);
      const estimate = lower + (upper - lower) * ((rank - seen) / c);
      return Math.min(h.max, Math.max(h.min, estimate));
    }
    seen += c;
  }
  return h.max;
}

/** One request as measured by the gateway. `ok` is false for provider failures only (not for bad input). */
export interface RequestSample {
  at: number;
  component: Component;
  provider: ProviderId;
  route: RollupRoute;
  latencyMs: number;
  ok: boolean;
  costEur: number;
}

/** All requests of one minute for one (component, provider, route). Plain JSON. */
export interface MinuteRollup {
  /** Start of the minute, ms since epoch. */
  minute: number;
  component: Component;
  provider: ProviderId;
  route: RollupRoute;
  count: number;
  errors: number;
  latencySumMs: number;
  costEur: number;
  histogram: HistogramData;
}

export function rollupKey(r: Pick<MinuteRollup, 'minute' | 'component' | 'provider' | 'route'>): string {
  return `${r.minute}|${r.component}|${r.provider}|${r.route}`;
}

export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** Folds a sample into a rollup (in place). */
export function addToRollup(r: MinuteRollup, s: RequestSample): void {
  if (!Number.isFinite(s.costEur) || s.costEur < 0) throw new RangeError(`costEur: expected a number >= 0, got ${s.costEur}`);
  recordLatency(r.histogram, s.latencyMs);
  r.count++;
  if (!s.ok) r.errors++;
  r.latencySumMs += s.latencyMs;
  r.costEur += s.costEur;
}

function copyRollup(r: Readonly<MinuteRollup>): MinuteRollup {
  return { ...r, histogram: { counts: [...r.histogram.counts], min: r.histogram.min, max: r.histogram.max } };
}

/** Merges rollups with the same key (e.g. the same minute from two gateway processes). */
export function mergeRollups(rollups: Iterable<MinuteRollup>): MinuteRollup[] {
  const byKey = new Map<string, MinuteRollup>();
  for (const r of rollups) {
    const key = rollupKey(r);
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen
        ? {
            ...seen,
            count: seen.count + r.count,
            errors: seen.errors + r.errors,
            latencySumMs: seen.latencySumMs + r.latencySumMs,
            costEur: seen.costEur + r.costEur,
            histogram: mergeHistograms(seen.histogram, r.histogram),
          }
        : copyRollup(r),
    );
  }
  return [...byKey.values()].sort((a, b) => a.minute - b.minute);
}

export interface SlidingWindowOptions {
  /** Length of the window; whole minutes are kept, the current one included. */
  windowMs: number;
  clock: Clock;
}

/** The last `windowMs` of requests, as minute rollups in memory. */
export class SlidingWindow {
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly byKey = new Map<string, MinuteRollup>();
  private prunedFor = Number.NaN;

  constructor(options: SlidingWindowOptions) {
    if (!(options.windowMs >= MINUTE_MS)) throw new RangeError(`windowMs: expected at least ${MINUTE_MS} ms, got ${options.windowMs}`);
    this.windowMs = options.windowMs;
    this.clock = options.clock;
  }

  record(sample: RequestSample): void {
    const minute = minuteOf(sample.at);
    this.prune();
    if (minute < this.prunedFor) return; // already outside the window: it would count for nothing
    const key = rollupKey({ minute, component: sample.component, provider: sample.provider, route: sample.route });
    let r = this.byKey.get(key);
    if (!r) {
      r = { minute, component: sample.component, provider: sample.provider, route: sample.route, count: 0, errors: 0, latencySumMs: 0, costEur: 0, histogram: emptyHistogram() };
      this.byKey.set(key, r);
    }
    addToRollup(r, sample);
  }

  /** Copies of the rollups still in the window, oldest first (store them; the current minute keeps changing). */
  rollups(): MinuteRollup[] {
    return this.view().map(copyRollup);
  }

  /** The rollups still in the window, oldest first, without copying: read them, do not keep or change them. */
  view(): ReadonlyArray<Readonly<MinuteRollup>> {
    this.prune();
    return [...this.byKey.values()].sort((a, b) => a.minute - b.minute);
  }

  private prune(): void {
    const oldest = minuteOf(this.clock.now() - this.windowMs + MINUTE_MS);
    if (oldest === this.prunedFor) return; // nothing new can have left the window within the same minute
    this.prunedFor = oldest;
    for (const [key, r] of this.byKey) if (r.minute < oldest) this.byKey.delete(key);
  }
}

/** Field names and units as in the admin API's WindowMetrics (ratios 0..1, ms, euros; null without data). */
export interface WindowStats {
  requests: number;
  errors: number;
  errorRate: number;
  availability: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  costPerRequestEur: number | null;
}

export interface RollupFilter {
  component?: Component;
  provider?: ProviderId;
  route?: RollupRoute | RollupRoute[];
  /** Only minutes starting at or after this time. */
  since?: number;
}

/** Statistics over rollups (from storage) or a live window, optionally filtered. */
export function summarize(source: Iterable<Readonly<MinuteRollup>> | SlidingWindow, filter: RollupFilter = {}): WindowStats {
  const rollups = source instanceof SlidingWindow ? source.view() : source;
  const routes = filter.route === undefined ? null : Array.isArray(filter.route) ? filter.route : [filter.route];
  let requests = 0;
  let errors = 0;
  let latencySum = 0;
  let costEur = 0;
  const histogram = emptyHistogram();
  for (const r of rollups) {
    if (filter.component !== undefined && r.component !== filter.component) continue;
    if (filter.provider !== undefined && r.provider !== filter.provider) continue;
    if (routes !== null && !routes.includes(r.route)) continue;
    if (filter.since !== undefined && r.minute < filter.since) continue;
    requests += r.count;
    errors += r.errors;
    latencySum += r.latencySumMs;
    costEur += r.costEur;
    addHistogramInto(histogram, r.histogram);
  }
  const errorRate = requests === 0 ? 0 : errors / requests;
  return {
    requests,
    errors,
    errorRate,
    availability: 1 - errorRate,
    avgMs: requests === 0 ? null : latencySum / requests,
    p50Ms: quantile(histogram, 0.5),
    p95Ms: quantile(histogram, 0.95),
    p99Ms: quantile(histogram, 0.99),
    costPerRequestEur: requests === 0 ? null : costEur / requests,
  };
}
