import { describe, expect, it } from 'vitest';
import { emptyHistogram, quantile, recordLatency, type MinuteRollup } from '@bascule/routing';
import { rollupsToPoints } from './rollups.ts';
import { normalizeHistory } from './normalize.ts';

function rollup(minute: number, provider: MinuteRollup['provider'], route: MinuteRollup['route'], latencies: number[], errors: number, costEur: number): MinuteRollup {
  const histogram = emptyHistogram();
  for (const l of latencies) recordLatency(histogram, l);
  return { minute, component: 'stt', provider, route, count: latencies.length, errors, latencySumMs: latencies.reduce((a, b) => a + b, 0), costEur, histogram };
}

describe('rollupsToPoints', () => {
  const fast = Array.from({ length: 90 }, (_, i) => 100 + i);
  const slow = Array.from({ length: 10 }, (_, i) => 3000 + i * 10);

  it('merges the routes of a provider and computes percentiles from the merged histogram', () => {
    const points = rollupsToPoints([rollup(0, 'faster-whisper', 'production', fast, 1, 0.01), rollup(0, 'faster-whisper', 'fallback', slow, 3, 0.02)], 60_000);
    expect(points).toHaveLength(1);
    const [p] = points;
    expect(p).toMatchObject({ t: 0, provider: 'faster-whisper', requests: 100, errorRate: 0.04, cost: 0.03 });
    // p95 falls among the 10 slow requests: a mean of the two minutes' p95 would not.
    expect(p!.p95Ms).toBeGreaterThan(2700);
    expect(p!.p50Ms).toBeGreaterThan(130);
    expect(p!.p50Ms).toBeLessThan(160);
  });

  it("leaves the shadow comparison's calls out: they are no student's request", () => {
    const points = rollupsToPoints([rollup(0, 'faster-whisper', 'production', fast, 0, 0), rollup(0, 'faster-whisper', 'shadow', slow, 5, 0.5)], 60_000);
    expect(points.map((p) => [p.provider, p.requests, p.errorRate, p.cost])).toEqual([['faster-whisper', 90, 0, 0]]);
  });

  it('puts minutes into coarser buckets, one series per provider', () => {
    const hour = 3_600_000;
    const rollups = [rollup(0, 'openai-whisper', 'mvp', fast, 0, 1), rollup(60_000, 'openai-whisper', 'mvp', slow, 0, 1), rollup(hour, 'openai-whisper', 'mvp', fast, 0, 1), rollup(hour, 'faster-whisper', 'production', slow, 0, 0)];
    const points = rollupsToPoints(rollups, hour);
    expect(points.map((p) => [p.t, p.provider, p.requests, p.cost])).toEqual([
      [0, 'openai-whisper', 100, 2],
      [hour, 'faster-whisper', 10, 0],
      [hour, 'openai-whisper', 90, 1],
    ]);
    const all = emptyHistogram();
    for (const l of [...fast, ...slow]) recordLatency(all, l);
    expect(points[0]!.p95Ms).toBe(quantile(all, 0.95));
  });

  it('is what normalizeHistory uses for a response of rollups', () => {
    const points = normalizeHistory({ rollups: [rollup(120_000, 'trocr', 'production', fast, 0, 0)] }, 60_000);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ t: 120_000, provider: 'trocr', requests: 90, errorRate: 0 });
  });
});
