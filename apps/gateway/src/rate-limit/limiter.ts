// One rate limit: at most `perMinute` requests a minute per key across every gateway, of which this one
// enforces its share (`ceil(perMinute / replicas)`), with its counters in a RateLimitStore.
import { LocalStore, type RateLimitStore } from './store.ts';

export const WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** The limit for the whole deployment, all gateways together. */
  perMinute: number;
  /** Gateways sharing it (default 1). */
  replicas?: number;
  store?: RateLimitStore;
}

export class RateLimiter {
  /** What this gateway allows per key and window. */
  readonly max: number;
  private readonly store: RateLimitStore;

  constructor(options: RateLimitOptions) {
    const replicas = options.replicas ?? 1;
    if (!(options.perMinute >= 1)) throw new RangeError(`perMinute: expected at least 1, got ${options.perMinute}`);
    if (!(replicas >= 1)) throw new RangeError(`replicas: expected at least 1, got ${replicas}`);
    this.max = Math.ceil(options.perMinute / replicas);
    this.store = options.store ?? new LocalStore();
  }

  /** Counts one request of `key`: 0 when it is allowed, else the ms until its window ends. */
  take(key: string, now: number): number {
    const entry = this.store.incr(key, WINDOW_MS, now);
    return entry.current <= this.max ? 0 : Math.max(1, entry.resetAt - now);
  }

  /** Whether `key` has used up its window, without counting: 0 when not, else the ms until it ends. */
  exhausted(key: string, now: number): number {
    const entry = this.store.peek(key, now);
    return entry === undefined || entry.current < this.max ? 0 : Math.max(1, entry.resetAt - now);
  }
}

/** Whole seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
