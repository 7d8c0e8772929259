// The student behind a request: `X-Student-Id` (or, for chat, OpenAI's `user` field). The raw id only
// picks the cohort (in memory); logs, metrics and storage see its keyed hash (HMAC-SHA256).
import { createHmac } from 'node:crypto';
import { PublicError } from './errors.ts';

/** Opaque ids from the app: letters, digits and `._:@-`, up to 128 characters. */
const STUDENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function readStudentId(header: string | string[] | undefined, fallback?: string): string {
  const value = Array.isArray(header) ? header[0] : header;
  const id = value ?? fallback;
  if (id === undefined || id === '') {
    throw new PublicError('invalid_request', 'X-Student-Id: missing (expected the header X-Student-Id naming the student; chat may use the "user" field)', { field: 'X-Student-Id' });
  }
  if (!STUDENT_ID.test(id)) {
    throw new PublicError('invalid_request', 'X-Student-Id: expected 1 to 128 characters among letters, digits and ._:@-', { field: 'X-Student-Id' });
  }
  return id;
}

/** HMAC-SHA256 of the id under `key`, hex, shortened to 128 bits (enough to tell students apart). */
export function hmacStudentId(key: string, id: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('hex').slice(0, 32);
}

/**
 * `hmacStudentId` under one key, remembering the last `max` ids (least recently used evicted): a class
 * sends the same few thousand ids all day, and an HMAC per request is measurable under load. The cache is
 * in memory only, like the raw id itself while it picks the cohort; nothing of it is logged or stored.
 */
export function createStudentHasher(key: string, options: { max?: number; hmac?: (key: string, id: string) => string } = {}): (id: string) => string {
  const { max = 10_000, hmac = hmacStudentId } = options;
  if (!(max >= 1)) throw new RangeError(`max: expected at least 1, got ${max}`);
  const cache = new Map<string, string>();
  return (id) => {
    let hash = cache.get(id);
    if (hash !== undefined) {
      // Map keeps insertion order: re-inserting makes this id the most recently used.
      cache.delete(id);
    } else {
      hash = hmac(key, id);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(id, hash);
    return hash;
  };
}
