// When to hedge: the second provider of a route starts once the first has run past its own measured p95,
// bounded so the hedge is neither sent for jitter (floor) nor too late for the second to answer within
// the request's deadline (ceiling). See docs/decisions/0011-hedged-fallback-and-host-pools.md.

/**
 * Recent successful latencies of one provider, for its p95. A ring of the last `size` samples; the p95 is
 * re-computed every `every` samples (a sort of a few hundred numbers), not per request.
 */
export class LatencyTracker {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private next = 0;
  private sinceSort = 0;
  private cached: number | null = null;

  constructor(
    size = 256,
    private readonly every = 16,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size: expected a whole number >= 1, got ${size}`);
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  /** One successful call's latency, in ms (non-finite or negative values are ignored). */
  observe(latencyMs: number): void {
    if (!(latencyMs >= 0) || !Number.isFinite(latencyMs)) return;
    this.ring[this.next] = latencyMs;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    if (++this.sinceSort >= this.every) this.cached = null;
  }

  /** How many samples the ring holds. */
  get samples(): number {
    return this.count;
  }

  /** The p95 of the samples held (nearest rank), null without any. */
  p95(): number | null {
    if (this.count === 0) return null;
    if (this.cached === null) {
      const view = this.sorted.subarray(0, this.count);
      view.set(this.ring.subarray(0, this.count));
      view.sort();
      this.cached = view[Math.min(this.count - 1, Math.ceil(0.95 * this.count) - 1)]!;
      this.sinceSort = 0;
    }
    return this.cached;
  }
}

export interface HedgePolicy {
  /** Samples of the first provider needed before its p95 is trusted (default 20). */
  minSamples: number;
  /** Never hedge before this share of the deadline (default 0.1): below it, hedges would chase jitter. */
  floorShare: number;
  /** Before enough samples, hedge at this share of the deadline (default 0.25). */
  defaultShare: number;
  /** The second provider's time to answer when it has no samples either: this share of the deadline (default 0.4). */
  reserveShare: number;
}

export const DEFAULT_HEDGE_POLICY: Readonly<HedgePolicy> = { minSamples: 20, floorShare: 0.1, defaultShare: 0.25, reserveShare: 0.4 };

/**
 * Milliseconds after the first attempt starts at which the second one starts:
 * the first provider's p95 (or `defaultShare` of the deadline before `minSamples`), no later than the
 * deadline minus the second provider's p95 (the time it needs), and no earlier than `floorShare` of the
 * deadline. The floor wins over the ceiling: a fallback slower than the whole deadline still gets a try.
 */
export function hedgeDelayMs(deadlineMs: number, first: LatencyTracker | undefined, second: LatencyTracker | undefined, policy: Readonly<HedgePolicy> = DEFAULT_HEDGE_POLICY): number {
  const floor = deadlineMs * policy.floorShare;
  const secondNeeds = second !== undefined && second.samples >= policy.minSamples ? second.p95()! : deadlineMs * policy.reserveShare;
  const ceiling = Math.max(floor, deadlineMs - secondNeeds);
  const wanted = first !== undefined && first.samples >= policy.minSamples ? first.p95()! : deadlineMs * policy.defaultShare;
  return Math.round(Math.min(ceiling, Math.max(floor, wanted)));
}
