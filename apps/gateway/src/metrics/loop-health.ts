// What stalls the gateway's event loop, on /metrics: how late the loop ran its timers
// (`perf_hooks.monitorEventLoopDelay`, quantiles over the time since the previous scrape) and each garbage
// collection's pause, by kind (a PerformanceObserver on `gc` entries). A request waits behind both: a slow
// synchronous store write, a long analysis tick or a large JSON body shows as delay; allocation per request
// shows as minor GC pauses.
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram, type PerformanceEntry } from 'node:perf_hooks';
import { Gauge, Histogram, type Registry } from 'prom-client';

/** The delay quantiles reported; `1` is the largest delay seen. */
export const LOOP_DELAY_QUANTILES = [0.5, 0.9, 0.99, 1] as const;

/** GC pauses run from tens of microseconds (a scavenge) to hundreds of milliseconds (a full mark-compact). */
const GC_PAUSE_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** V8's collection kinds as `perf_hooks` reports them (entry.detail.kind). */
const GC_KINDS: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

export function gcKindName(kind: number | undefined): string {
  return (kind !== undefined && GC_KINDS.get(kind)) || 'unknown';
}

/**
 * The delay in seconds of one value of `monitorEventLoopDelay`'s histogram, which holds the time between two
 * runs of its sampling timer (ns): the resolution plus how late the loop was.
 */
export function latenessSeconds(betweenRunsNs: number, resolutionMs: number): number {
  return Math.max(0, betweenRunsNs / 1e9 - resolutionMs / 1000);
}

export interface LoopHealth {
  /** Stops sampling the loop and observing collections (the gateway's close). */
  stop(): void;
}

/**
 * Registers `bascule_event_loop_delay_seconds{quantile}` (a gauge read at scrape time; the window restarts
 * at each scrape) and `bascule_gc_pause_seconds{kind}` (a histogram), and starts measuring.
 * `resolutionMs` is how often the loop is sampled (a timer of its own, off the request path).
 */
export function watchLoopHealth(registry: Registry, resolutionMs = 20): LoopHealth {
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  new Gauge({
    name: 'bascule_event_loop_delay_seconds',
    help: `How late the event loop ran a timer due every ${resolutionMs} ms (seconds past it), since the previous scrape: quantiles 0.5, 0.9, 0.99 and 1 (the largest).`,
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      // No sample yet (a scrape right after start, or twice within one resolution): report nothing rather than 0 or NaN.
      if (delay.count === 0) return this.reset();
      for (const q of LOOP_DELAY_QUANTILES) this.set({ quantile: String(q) }, latenessSeconds(q === 1 ? delay.max : delay.percentile(q * 100), resolutionMs));
      delay.reset();
    },
  });
  const pauses = new Histogram({
    name: 'bascule_gc_pause_seconds',
    help: 'Garbage collection pauses, by kind (minor: scavenge of the young generation, major: mark-compact, incremental: marking steps, weakcb: weak callbacks).',
    labelNames: ['kind'],
    buckets: GC_PAUSE_BUCKETS_S,
    registers: [registry],
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.observe({ kind: gcKindName(kindOf(entry)) }, entry.duration / 1000);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      delay.disable();
      observer.disconnect();
    },
  };
}

function kindOf(entry: PerformanceEntry): number | undefined {
  // `detail` is on every entry since Node 16; @types/node declares it on some entry types only.
  return ((entry as { detail?: unknown }).detail as { kind?: number } | null | undefined)?.kind;
}
