// /metrics reports the event loop's delay and the GC pauses: a loop blocked on purpose shows as delay, a
// forced full collection as a `major` pause; the delay window restarts at each scrape; stop() ends both.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/app.ts';
import { gcKindName, latenessSeconds, watchLoopHealth, type LoopHealth } from '../src/metrics/loop-health.ts';
import { testConfig } from './helpers.ts';

/** A full (mark-compact) collection, without starting the test runner with --expose-gc. */
function forceGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Keeps the loop busy for `ms`: every timer due meanwhile runs that much late. */
function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}

/** Lets the loop's sampling timer and the GC observer (called asynchronously) run. */
const turn = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

async function samples(registry: Registry, name: string): Promise<Sample[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name}: not registered`);
  return (await metric.get()).values as Sample[];
}

describe('watchLoopHealth', () => {
  let registry: Registry;
  let health: LoopHealth;
  beforeAll(() => {
    registry = new Registry();
    health = watchLoopHealth(registry, 10);
  });
  afterAll(() => health.stop());

  it('reports a blocked loop in the delay quantiles, the largest at least the time it was blocked less one sampling interval', async () => {
    await turn();
    blockLoop(120);
    await turn();
    const values = await samples(registry, 'bascule_event_loop_delay_seconds');
    const byQuantile = new Map(values.map((v) => [String(v.labels.quantile), v.value]));
    expect([...byQuantile.keys()].sort()).toEqual(['0.5', '0.9', '0.99', '1']);
    expect(byQuantile.get('1')!).toBeGreaterThanOrEqual(0.1);
    expect(byQuantile.get('0.5')!).toBeLessThanOrEqual(byQuantile.get('0.9')!);
    expect(byQuantile.get('0.9')!).toBeLessThanOrEqual(byQuantile.get('0.99')!);
    expect(byQuantile.get('0.99')!).toBeLessThanOrEqual(byQuantile.get('1')!);
  });

  it('reports the delay past the sampling interval, never below zero', () => {
    expect(latenessSeconds(20_000_000, 20)).toBe(0);
    expect(latenessSeconds(19_000_000, 20)).toBe(0);
    expect(latenessSeconds(145_000_000, 20)).toBeCloseTo(0.125, 9);
  });

  it('restarts the delay window at each scrape: a scrape right after another, with no sample between, reports none', async () => {
    await turn();
    await samples(registry, 'bascule_event_loop_delay_seconds');
    expect(await samples(registry, 'bascule_event_loop_delay_seconds')).toEqual([]);
  });

  it('counts a forced full collection as a major GC pause', async () => {
    const majorCount = async () => (await samples(registry, 'bascule_gc_pause_seconds')).find((v) => v.metricName === 'bascule_gc_pause_seconds_count' && v.labels.kind === 'major')?.value ?? 0;
    const before = await majorCount();
    forceGc();
    await turn();
    expect(await majorCount()).toBeGreaterThan(before);
  });

  it('names the collection kinds, and an unknown one as such', () => {
    expect([1, 4, 8, 16, 99, undefined].map(gcKindName)).toEqual(['minor', 'major', 'incremental', 'weakcb', 'unknown', 'unknown']);
  });
});

describe('GET /metrics', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
  });
  afterAll(() => gw.close());

  it('has bascule_event_loop_delay_seconds by quantile and bascule_gc_pause_seconds by kind', async () => {
    await turn();
    forceGc();
    await turn();
    const res = await gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE bascule_event_loop_delay_seconds gauge');
    expect(res.body).toMatch(/^bascule_event_loop_delay_seconds\{quantile="0\.99"\} \d/m);
    expect(res.body).toContain('# TYPE bascule_gc_pause_seconds histogram');
    expect(res.body).toMatch(/^bascule_gc_pause_seconds_count\{kind="major"\} [1-9]/m);
  });
});
