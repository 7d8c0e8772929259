// Rate-limit counters behind one interface, in the shape of @fastify/rate-limit's stores (`incr` of a key in
// a time window): LocalStore keeps them in this process's memory. Bascule's gateways each enforce their share
// of a limit (decision 0010), so no shared store sits on the request path; a shared one (Redis, PostgreSQL)
// would implement the same interface asynchronously.

/** One key's window: how many requests it counted and when the window ends (ms since the epoch). */
export interface RateLimitEntry {
  current: number;
  resetAt: number;
}

export interface RateLimitStore {
  /** Counts one request of `key`; a window starts at a key's first request and lasts `timeWindow` ms. */
  incr(key: string, timeWindow: number, now: number): Readonly<RateLimitEntry>;
  /** The key's current window without counting; undefined when it has none or it ended. */
  peek(key: string, now: number): Readonly<RateLimitEntry> | undefined;
}

/**
 * Counters in a Map: one lookup per request, and an allocation only for a key's first request. At most
 * `maxKeys` keys: past that, the expired ones are swept, and if none expired the oldest is dropped (it
 * starts again from zero), so an attacker spraying keys costs memory only up to the bound.
 */
export class LocalStore implements RateLimitStore {
  private readonly entries = new Map<string, RateLimitEntry>();

  constructor(private readonly maxKeys = 100_000) {
    if (!(maxKeys >= 1)) throw new RangeError(`maxKeys: expected at least 1, got ${maxKeys}`);
  }

  get size(): number {
    return this.entries.size;
  }

  incr(key: string, timeWindow: number, now: number): Readonly<RateLimitEntry> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      if (entry.resetAt <= now) {
        entry.current = 1;
        entry.resetAt = now + timeWindow;
      } else {
        entry.current += 1;
      }
      return entry;
    }
    if (this.entries.size >= this.maxKeys) this.makeRoom(now);
    const fresh = { current: 1, resetAt: now + timeWindow };
    this.entries.set(key, fresh);
    return fresh;
  }

  peek(key: string, now: number): Readonly<RateLimitEntry> | undefined {
    const entry = this.entries.get(key);
    return entry === undefined || entry.resetAt <= now ? undefined : entry;
  }

  private makeRoom(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }
}
