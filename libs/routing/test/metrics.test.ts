import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HISTOGRAM_UPPER_BOUNDS,
  MINUTE_MS,
  SlidingWindow,
  bucketIndex,
  emptyHistogram,
  mergeHistograms,
  mergeRollups,
  quantile,
  recordLatency,
  summarize,
  type HistogramData,
  type RequestSample,
} from '../src/index.ts';
import { HOUR, ManualClock } from './fixtures.ts';

const histogramOf = (values: number[]): HistogramData => {
  const h = emptyHistogram();
  for (const v of values) recordLatency(h, v);
  return h;
};
/** Nearest-rank quantile, the exact answer the histogram estimates. */
const exact = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
};
const latency = fc.double({ min: 0, max: 120_000, noNaN: true });

describe('latency histogram', () => {
  it('has fixed, increasing, log-spaced bounds', () => {
    expect(HISTOGRAM_UPPER_BOUNDS[0]).toBe(1);
    expect(HISTOGRAM_UPPER_BOUNDS.at(-1)).toBe(Number.POSITIVE_INFINITY);
    for (let i = 1; i < HISTOGRAM_UPPER_BOUNDS.length - 1; i++) {
      const ratio = HISTOGRAM_UPPER_BOUNDS[i]! / HISTOGRAM_UPPER_BOUNDS[i - 1]!;
      expect(ratio).toBeGreaterThan(1.09);
      expect(ratio).toBeLessThan(1.11);
    }
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(1)).toBe(1);
    expect(bucketIndex(1e9)).toBe(HISTOGRAM_UPPER_BOUNDS.length - 1);
  });

  it('estimates p50, p95 and p99 within one bucket (10 %, or 1 ms) of the exact value', () => {
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 500 }), fc.constantFrom(0.5, 0.95, 0.99), (values, q) => {
        const estimate = quantile(histogramOf(values), q)!;
        const truth = exact(values, q);
        expect(Math.abs(estimate - truth)).toBeLessThanOrEqual(Math.max(1, truth * 0.1));
      }),
      { numRuns: 500 },
    );
  });

  it('merges by adding counts: merging equals recording everything in one', () => {
    fc.assert(
      fc.property(fc.array(latency), fc.array(latency), (a, b) => {
        expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
      }),
    );
  });

  it('is null when empty and rejects a negative latency', () => {
    expect(quantile(emptyHistogram(), 0.95)).toBeNull();
    expect(() => recordLatency(emptyHistogram(), -1)).toThrow(/latencyMs/);
  });
});

const sample = (parts: Partial<RequestSample> & { at: number }): RequestSample => ({
  component: 'stt',
  provider: 'faster-whisper',
  route: 'production',
  latencyMs: 400,
  ok: true,
  costEur: 0.0002,
  ...parts,
});

describe('rollups and windows', () => {
  it('summarizes count, errors, availability, latency and cost per request', () => {
    const clock = new ManualClock(0);
    const window = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
    for (let i = 0; i < 100; i++) window.record(sample({ at: i * 100, latencyMs: 100 + i * 10, ok: i % 10 !== 0, costEur: 0.001 }));
    window.record(sample({ at: 50, provider: 'openai-whisper', route: 'fallback', latencyMs: 900 }));
    const s = summarize(window, { component: 'stt', provider: 'faster-whisper' });
    expect(s).toMatchObject({ requests: 100, errors: 10, errorRate: 0.1, availability: 0.9 });
    expect(s.avgMs).toBeCloseTo(595, 6);
    expect(s.costPerRequestEur).toBeCloseTo(0.001, 12);
    expect(Math.abs(s.p50Ms! - 590)).toBeLessThanOrEqual(59);
    expect(Math.abs(s.p95Ms! - 1040)).toBeLessThanOrEqual(104);
    expect(s.p99Ms!).toBeLessThanOrEqual(1090);
    expect(summarize(window, { route: ['production', 'fallback'] }).requests).toBe(101);
    expect(summarize(window, { route: 'fallback' }).requests).toBe(1);
  });

  it('reads nothing as null latencies and full availability', () => {
    expect(summarize([])).toEqual({ requests: 0, errors: 0, errorRate: 0, availability: 1, avgMs: null, p50Ms: null, p95Ms: null, p99Ms: null, costPerRequestEur: null });
  });

  it('drops minutes that left the window', () => {
    const clock = new ManualClock(0);
    const window = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
    window.record(sample({ at: 0 }));
    clock.set(4 * MINUTE_MS + 59_000);
    window.record(sample({ at: clock.now() }));
    expect(summarize(window).requests).toBe(2);
    clock.set(5 * MINUTE_MS);
    expect(summarize(window).requests).toBe(1);
  });

  it('ignores a sample that arrives after its minute left the window', () => {
    const clock = new ManualClock(10 * MINUTE_MS);
    const window = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
    window.record(sample({ at: 0 }));
    window.record(sample({ at: 9 * MINUTE_MS }));
    expect(window.rollups().map((r) => r.minute)).toEqual([9 * MINUTE_MS]);
  });

  it('computes a 48 h window from stored JSON rollups, as if measured in one piece', () => {
    const clock = new ManualClock(0);
    const live = new SlidingWindow({ windowMs: 10 * MINUTE_MS, clock });
    const stored = new Map<string, string>(); // the gateway's table: key → JSON
    const all: RequestSample[] = [];
    for (let minute = 0; minute < 48 * 60; minute += 7) {
      clock.set(minute * MINUTE_MS);
      for (let i = 0; i < 3; i++) {
        const s = sample({ at: clock.now() + i * 1000, latencyMs: 200 + ((minute * 37 + i * 101) % 900), ok: (minute + i) % 13 !== 0 });
        live.record(s);
        all.push(s);
      }
      for (const r of live.rollups()) stored.set(`${r.minute}|${r.provider}|${r.route}`, JSON.stringify(r)); // upsert
    }
    const fromStorage = summarize(mergeRollups([...stored.values()].map((j) => JSON.parse(j))), { since: 0 });
    const oneWindow = new SlidingWindow({ windowMs: 49 * HOUR, clock });
    for (const s of all) oneWindow.record(s);
    expect(fromStorage).toEqual(summarize(oneWindow));
    expect(fromStorage.requests).toBe(all.length);
  });

  it('merges the same minute from two gateway processes', () => {
    const clock = new ManualClock(0);
    const a = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
    const b = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
    a.record(sample({ at: 1000, latencyMs: 100 }));
    b.record(sample({ at: 2000, latencyMs: 300, ok: false }));
    const merged = mergeRollups([...a.rollups(), ...b.rollups()]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ count: 2, errors: 1, latencySumMs: 400 });
  });

  it('rejects a window shorter than a minute and a negative cost', () => {
    const clock = new ManualClock(0);
    expect(() => new SlidingWindow({ windowMs: 1000, clock })).toThrow(/windowMs/);
    expect(() => new SlidingWindow({ windowMs: MINUTE_MS, clock }).record(sample({ at: 0, costEur: -1 }))).toThrow(/costEur/);
  });
});
