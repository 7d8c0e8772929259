// Circuit breakers, one per provider: a pure state machine driven by an injected clock. The gateway asks
// `allowRequest()` before a call and reports the outcome; nothing here owns a timer or runs the call.
// Opens on N consecutive failures, or on an error rate over a sampled time window once a minimum volume
// is reached. After `openMs` it lets a few probes through (half-open); enough successes close it, a failure
// re-opens it. See docs/decisions/0002-routing-circuit-breaker.md for why this is not cockatiel.
import type { Clock, ProviderId } from './types.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  consecutiveFailures: number;
  /** Error rate (0..1) over the window that opens the breaker (default 0.5)... */
  errorRateThreshold: number;
  /** ...once the window holds at least this many calls (default 20). */
  minimumRequests: number;
  /** Length of the sampled window (default 30 s), kept in `windowBuckets` slices (default 10). */
  windowMs: number;
  windowBuckets: number;
  /** How long the breaker stays open before probing (default 30 s). */
  openMs: number;
  /** Concurrent probes allowed while half-open (default 1). */
  halfOpenProbes: number;
  /** Successful probes needed to close (default 1). */
  halfOpenSuccesses: number;
  /** Called on every change of state, e.g. to log or emit an event. */
  onStateChange?: (change: { from: BreakerState; to: BreakerState; at: number }) => void;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<Omit<BreakerOptions, 'onStateChange'>> = {
  consecutiveFailures: 5,
  errorRateThreshold: 0.5,
  minimumRequests: 20,
  windowMs: 30_000,
  windowBuckets: 10,
  openMs: 30_000,
  halfOpenProbes: 1,
  halfOpenSuccesses: 1,
};

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  windowRequests: number;
  windowErrors: number;
  /** errors / requests over the window; 0 without requests. */
  errorRate: number;
  /** When it last opened (ms since epoch), null if never. */
  openedAt: number | null;
  /** When an open breaker lets the next probe through; null unless open. */
  nextProbeAt: number | null;
  /** How many times it opened since it was created. */
  opens: number;
}

interface Slice {
  start: number;
  requests: number;
  errors: number;
}

export class CircuitBreaker {
  readonly options: Readonly<BreakerOptions>;
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private slices: Slice[] = [];
  private openedAt: number | null = null;
  private opens = 0;
  private probesInFlight = 0;
  private lastProbeAt = 0;
  private probeSuccesses = 0;

  constructor(
    private readonly clock: Clock,
    options: Partial<BreakerOptions> = {},
  ) {
    this.options = { ...DEFAULT_BREAKER_OPTIONS, ...options };
    checkOptions(this.options);
  }

  /** The state now (an open breaker whose pause elapsed reads half-open). */
  state(): BreakerState {
    const now = this.clock.now();
    if (this.current === 'open' && this.openedAt !== null && now - this.openedAt >= this.options.openMs) {
      this.transition('half-open', now);
      this.probesInFlight = 0;
      this.probeSuccesses = 0;
    }
    return this.current;
  }

  /** Whether a call may go through now. While half-open, a `true` reserves a probe slot. */
  allowRequest(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const now = this.clock.now();
    // A probe that never reported (caller crashed) frees its slot after openMs.
    if (this.probesInFlight >= this.options.halfOpenProbes && now - this.lastProbeAt >= this.options.openMs) this.probesInFlight = 0;
    if (this.probesInFlight >= this.options.halfOpenProbes) return false;
    this.probesInFlight++;
    this.lastProbeAt = now;
    return true;
  }

  /** A call succeeded (a client error counts as success: the provider answered). */
  recordSuccess(): void {
    const state = this.state();
    const now = this.clock.now();
    this.consecutive = 0;
    if (state === 'half-open') {
      this.probesInFlight = Math.max(0, this.probesInFlight - 1);
      if (++this.probeSuccesses >= this.options.halfOpenSuccesses) {
        this.slices = [];
        this.transition('closed', now);
      }
      return;
    }
    this.sample(now, false);
  }

  /** A call failed transiently (timeout, connection error, 5xx, 429). */
  recordFailure(): void {
    const state = this.state();
    const now = this.clock.now();
    this.consecutive++;
    if (state === 'half-open') {
      this.probesInFlight = Math.max(0, this.probesInFlight - 1);
      this.open(now);
      return;
    }
    this.sample(now, true);
    if (state === 'open') return;
    const { requests, errors } = this.window(now);
    const byRate = requests >= this.options.minimumRequests && errors / requests >= this.options.errorRateThreshold;
    if (this.consecutive >= this.options.consecutiveFailures || byRate) this.open(now);
  }

  snapshot(): BreakerSnapshot {
    const state = this.state();
    const { requests, errors } = this.window(this.clock.now());
    return {
      state,
      consecutiveFailures: this.consecutive,
      windowRequests: requests,
      windowErrors: errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      openedAt: this.openedAt,
      nextProbeAt: state === 'open' && this.openedAt !== null ? this.openedAt + this.options.openMs : null,
      opens: this.opens,
    };
  }

  private open(now: number): void {
    this.openedAt = now;
    this.opens++;
    this.probesInFlight = 0;
    this.probeSuccesses = 0;
    this.transition('open', now);
  }

  private transition(to: BreakerState, at: number): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.options.onStateChange?.({ from, to, at });
  }

  private sliceMs(): number {
    return this.options.windowMs / this.options.windowBuckets;
  }

  private sample(now: number, failed: boolean): void {
    const start = Math.floor(now / this.sliceMs()) * this.sliceMs();
    let slice = this.slices.at(-1);
    if (!slice || slice.start !== start) {
      slice = { start, requests: 0, errors: 0 };
      this.slices.push(slice);
    }
    slice.requests++;
    if (failed) slice.errors++;
    this.prune(now);
  }

  private prune(now: number): void {
    const oldest = now - this.options.windowMs;
    while (this.slices.length > 0 && this.slices[0]!.start + this.sliceMs() <= oldest) this.slices.shift();
  }

  private window(now: number): { requests: number; errors: number } {
    this.prune(now);
    let requests = 0;
    let errors = 0;
    for (const s of this.slices) {
      requests += s.requests;
      errors += s.errors;
    }
    return { requests, errors };
  }
}

function checkOptions(o: BreakerOptions): void {
  const positiveInt = (name: keyof BreakerOptions) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`breaker.${name}: expected a whole number >= 1, got ${String(v)}`);
  };
  (['consecutiveFailures', 'minimumRequests', 'windowBuckets', 'halfOpenProbes', 'halfOpenSuccesses'] as const).forEach(positiveInt);
  if (!(o.errorRateThreshold > 0 && o.errorRateThreshold <= 1)) throw new RangeError(`breaker.errorRateThreshold: expected a ratio in (0, 1], got ${o.errorRateThreshold}`);
  if (!(o.windowMs > 0)) throw new RangeError(`breaker.windowMs: expected a duration > 0 ms, got ${o.windowMs}`);
  if (!(o.openMs > 0)) throw new RangeError(`breaker.openMs: expected a duration > 0 ms, got ${o.openMs}`);
}

export interface RegistryOptions extends Partial<Omit<BreakerOptions, 'onStateChange'>> {
  /** Settings for one provider, over the common ones. */
  perProvider?: Partial<Record<ProviderId, Partial<Omit<BreakerOptions, 'onStateChange'>>>>;
  /** Called on every change of a breaker's state. */
  onStateChange?: (change: { provider: ProviderId; from: BreakerState; to: BreakerState; at: number }) => void;
}

/** One breaker per provider, created on first use. */
export class BreakerRegistry {
  private readonly breakers = new Map<ProviderId, CircuitBreaker>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RegistryOptions = {},
  ) {}

  get(provider: ProviderId): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      const { perProvider, onStateChange, ...common } = this.options;
      breaker = new CircuitBreaker(this.clock, {
        ...common,
        ...perProvider?.[provider],
        ...(onStateChange ? { onStateChange: (change) => onStateChange({ provider, ...change }) } : {}),
      });
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  /** For `planRoute({ isAvailable })`: asks the provider's breaker (reserves a probe when half-open). */
  readonly isAvailable = (provider: ProviderId): boolean => this.get(provider).allowRequest();

  snapshot(): Partial<Record<ProviderId, BreakerSnapshot>> {
    const out: Partial<Record<ProviderId, BreakerSnapshot>> = {};
    for (const [id, breaker] of this.breakers) out[id] = breaker.snapshot();
    return out;
  }
}
