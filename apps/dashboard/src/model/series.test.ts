import { describe, expect, it } from 'vitest';
import { buildSeries, downsample } from './series.ts';
import type { HistoryPoint } from './types.ts';

const p = (t: number, provider: string, requests: number, p95Ms: number | null, cost: number | null = null): HistoryPoint => ({ t, provider, p50Ms: null, p95Ms, errorRate: null, requests, cost });

describe('chart series', () => {
  const points = [p(60_000, 'groq', 30, 200), p(60_000, 'huggingface', 10, 900), p(120_000, 'huggingface', 20, 1000)];

  it('aligns providers on shared timestamps (seconds) with gaps as null', () => {
    const set = buildSeries(points, ['p95Ms']);
    expect(set.x).toEqual([60, 120]);
    expect(set.series).toEqual([
      { provider: 'groq', label: 'groq', values: [200, null] },
      { provider: 'huggingface', label: 'huggingface', values: [900, 1000] },
    ]);
  });

  it('computes the traffic split as shares of each bucket', () => {
    const set = buildSeries(points, ['share']);
    expect(set.series.map((s) => s.values)).toEqual([
      [0.75, 0],
      [0.25, 1],
    ]);
  });

  it('merges minutes into coarser buckets: costs and requests add, latencies weigh by requests', () => {
    const merged = downsample([p(0, 'groq', 10, 100, 1), p(60_000, 'groq', 30, 200, 2), p(600_000, 'groq', 5, 50, null)], 600_000);
    expect(merged).toEqual([
      { t: 0, provider: 'groq', p50Ms: null, p95Ms: 175, errorRate: null, requests: 40, cost: 3 },
      { t: 600_000, provider: 'groq', p50Ms: null, p95Ms: 50, errorRate: null, requests: 5, cost: null },
    ]);
  });
});
