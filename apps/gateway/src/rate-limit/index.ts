export { LocalStore, type RateLimitEntry, type RateLimitStore } from './store.ts';
export { RateLimiter, retryAfterSeconds, WINDOW_MS, type RateLimitOptions } from './limiter.ts';
export { clientAddress } from './address.ts';
