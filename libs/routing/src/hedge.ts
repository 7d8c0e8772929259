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
  private lagging = false;
  private overtakenInARow = 0;

  constructor(
    size = 256,
    private readonly every = 16,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size: expected a whole number >= 1, got ${size}`);
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  /** One successful call's latency, in ms (non-finite or negative values are ignored). It ends a lag. */
  observe(latencyMs: number): void {
    if (!(latencyMs >= 0) || !Number.isFinite(latencyMs)) return;
    this.lagging = false;
    this.overtakenInARow = 0;
    this.ring[this.next] = latencyMs;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    if (++this.sinceSort >= this.every) this.cached = null;
  }

  /**
   * A call was overtaken by its hedge or timed out: the provider is slow now, and its past p95 no longer
   * says when it answers. Until its next success, hedges start at the floor.
   */
  lag(): void {
    this.lagging = true;
  }

  /**
   * A call overtaken by its hedge, however early the hedge fired; returns how many in a row since the last
   * success. A provider that stopped answering is overtaken every time, even by a fallback that answers at
   * once (the browser's speech), where no single call runs long enough to be judged slow.
   */
  overtaken(): number {
    return ++this.overtakenInARow;
  }

  /** Whether the last call settled was overtaken or timed out (see `lag`). */
  get isLagging(): boolean {
    return this.lagging;
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
  /**
   * The second provider's time to answer before it has `minSamples`: this share of the deadline (default
   * 0.75, so an unmeasured fallback is hedged no later than `defaultShare`). A fixed 40 % reserve is what
   * left an MVP with a 1 s median 800 ms of a 2 s deadline.
   */
  reserveShare: number;
}

export const DEFAULT_HEDGE_POLICY: Readonly<HedgePolicy> = { minSamples: 20, floorShare: 0.1, defaultShare: 0.25, reserveShare: 0.75 };

/**
 * Milliseconds after the first attempt starts at which the second one starts:
 * the first provider's p95 (or `defaultShare` of the deadline before `minSamples`; the floor while it
 * lags, i.e. since its last call was overtaken or timed out), no later than the
 * deadline minus the second provider's p95 (the time it needs), and no earlier than `floorShare` of the
 * deadline. The floor wins over the ceiling: a fallback slower than the whole deadline still gets a try.
 */
export function hedgeDelayMs(deadlineMs: number, first: LatencyTracker | undefined, second: LatencyTracker | undefined, policy: Readonly<HedgePolicy> = DEFAULT_HEDGE_POLICY): number {
  const floor = deadlineMs * policy.floorShare;
  const ceiling = hedgeCeilingMs(deadlineMs, second, policy);
  if (first?.isLagging === true) return Math.round(Math.min(ceiling, floor));
  const wanted = first !== undefined && first.samples >= policy.minSamples ? first.p95()! : deadlineMs * policy.defaultShare;
  return Math.round(Math.min(ceiling, Math.max(floor, wanted)));
}

/**
 * The latest a hedge may start: the deadline minus the second provider's p95 (`reserveShare` of the
 * deadline before it is measured), never below the floor. A first attempt overtaken after running this
 * long was slow by any measure (without a hedge it would have had to be abandoned by then): a timeout.
 */
export function hedgeCeilingMs(deadlineMs: number, second: LatencyTracker | undefined, policy: Readonly<HedgePolicy> = DEFAULT_HEDGE_POLICY): number {
  const secondNeeds = second !== undefined && second.samples >= policy.minSamples ? second.p95()! : deadlineMs * policy.reserveShare;
  return Math.round(Math.max(deadlineMs * policy.floorShare, deadlineMs - secondNeeds));
}

/** The candidate's time to answer, as a share of the deadline, before it is measured (the MVP's fallback). */
export const LAST_MOMENT_RESERVE_SHARE = 0.4;

/**
 * When the MVP's fallback (the candidate) starts: at the last moment that leaves it its measured p95 (40 %
 * of the deadline before it is measured), never before the floor. Not at the MVP's p95: the MVP is slower
 * than the candidate by design, so a hedge at its p95 would hand the MVP cohort to the candidate; this
 * fallback is for an MVP that fails or hangs, not for its tail.
 */
export function lastMomentDelayMs(deadlineMs: number, second: LatencyTracker | undefined, policy: Readonly<HedgePolicy> = DEFAULT_HEDGE_POLICY): number {
  const secondNeeds = second !== undefined && second.samples >= policy.minSamples ? second.p95()! : deadlineMs * LAST_MOMENT_RESERVE_SHARE;
  return Math.round(Math.max(deadlineMs * policy.floorShare, deadlineMs - secondNeeds));
}
