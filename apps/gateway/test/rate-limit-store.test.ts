// The counters behind the rate limits: a window per key from its first request, a bound on the keys kept,
// and each gateway's share of a limit.
import { describe, expect, it } from 'vitest';
import { LocalStore, RateLimiter, WINDOW_MS, retryAfterSeconds } from '../src/rate-limit/index.ts';

describe('LocalStore', () => {
  it('counts per key in a window that starts at its first request and restarts after it', () => {
    const store = new LocalStore();
    expect(store.incr('a', 1_000, 0)).toEqual({ current: 1, resetAt: 1_000 });
    expect(store.incr('a', 1_000, 400).current).toBe(2);
    expect(store.incr('b', 1_000, 500)).toEqual({ current: 1, resetAt: 1_500 });
    expect(store.peek('a', 999)?.current).toBe(2);
    expect(store.peek('a', 1_000)).toBeUndefined();
    expect(store.incr('a', 1_000, 1_000)).toEqual({ current: 1, resetAt: 2_000 });
  });

  it('keeps at most maxKeys keys: expired ones go first, then the oldest', () => {
    const store = new LocalStore(2);
    store.incr('a', 100, 0);
    store.incr('b', 1_000, 0);
    store.incr('c', 1_000, 200); // a expired: swept
    expect(store.size).toBe(2);
    expect(store.peek('b', 200)?.current).toBe(1);
    store.incr('d', 1_000, 300); // none expired: the oldest (b) goes
    expect(store.size).toBe(2);
    expect(store.peek('b', 300)).toBeUndefined();
    expect(store.peek('c', 300)?.current).toBe(1);
  });

  it('refuses a bound below one', () => {
    expect(() => new LocalStore(0)).toThrow(/maxKeys: expected at least 1/);
  });
});

describe('RateLimiter', () => {
  it('allows max requests a window, then says how long to wait', () => {
    const limiter = new RateLimiter({ perMinute: 3 });
    expect([limiter.take('k', 0), limiter.take('k', 1), limiter.take('k', 2)]).toEqual([0, 0, 0]);
    expect(limiter.take('k', 10_000)).toBe(WINDOW_MS - 10_000);
    expect(limiter.take('other', 10_000)).toBe(0);
    expect(limiter.take('k', WINDOW_MS)).toBe(0);
  });

  it('enforces its share of the limit on each replica, rounded up', () => {
    expect(new RateLimiter({ perMinute: 60, replicas: 2 }).max).toBe(30);
    expect(new RateLimiter({ perMinute: 5, replicas: 2 }).max).toBe(3);
    expect(new RateLimiter({ perMinute: 1, replicas: 3 }).max).toBe(1);
  });

  it('tells whether a key is exhausted without counting it', () => {
    const limiter = new RateLimiter({ perMinute: 2 });
    limiter.take('ip', 0);
    expect(limiter.exhausted('ip', 1)).toBe(0);
    expect(limiter.exhausted('ip', 1)).toBe(0);
    limiter.take('ip', 2);
    expect(limiter.exhausted('ip', 3)).toBe(WINDOW_MS - 3);
    expect(limiter.exhausted('ip', WINDOW_MS)).toBe(0);
  });

  it('refuses limits and replica counts below one', () => {
    expect(() => new RateLimiter({ perMinute: 0 })).toThrow(/perMinute/);
    expect(() => new RateLimiter({ perMinute: 1, replicas: 0 })).toThrow(/replicas/);
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect([retryAfterSeconds(1), retryAfterSeconds(1_000), retryAfterSeconds(1_001)]).toEqual([1, 1, 2]);
  });
});
