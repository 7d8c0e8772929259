// Cohort assignment: which students of a component are served by the production provider.
// MurmurHash3 x86 32-bit (seed 0) over the UTF-8 bytes of `component:studentId`, bucket = hash mod 10 000,
// production iff bucket < round(weight × 100). The same algorithm as Unleash's gradual rollout, so any
// language can reproduce a student's cohort from the published test vectors (docs/architecture.md).
import type { Component } from './types.ts';

/** Number of buckets: a weight resolution of 0.01 %. */
export const COHORT_BUCKETS = 10_000;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3, x86 32-bit variant, as in Austin Appleby's reference `MurmurHash3_x86_32`. Unsigned result. */
export function murmurHash3x86_32(bytes: Uint8Array, seed = 0): number {
  let h = seed >>> 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length % 4;
  if (tail === 3) k ^= bytes[blocks + 2]! << 16;
  if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
  if (tail >= 1) {
    k ^= bytes[blocks]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const utf8 = new TextEncoder();

/** The student's bucket for a component, 0..9999. Hashes bytes, not UTF-16 code units. */
export function cohortBucket(component: Component, studentId: string): number {
  if (typeof studentId !== 'string' || studentId.length === 0) {
    throw new TypeError('studentId: expected a non-empty string');
  }
  return murmurHash3x86_32(utf8.encode(`${component}:${studentId}`), 0) % COHORT_BUCKETS;
}

/** Weight (percent 0..100, 0.01 resolution) as a number of buckets. */
export function weightToBuckets(weightPercent: number): number {
  assertWeight(weightPercent);
  return Math.round(weightPercent * 100);
}

/** True when the student belongs to the production cohort at this weight. Raising the weight only adds students. */
export function isInProductionCohort(component: Component, studentId: string, weightPercent: number): boolean {
  return cohortBucket(component, studentId) < weightToBuckets(weightPercent);
}

/** Throws a RangeError naming `weight` unless it is a finite number in 0..100. */
export function assertWeight(weightPercent: number, field = 'weight'): void {
  if (typeof weightPercent !== 'number' || !Number.isFinite(weightPercent) || weightPercent < 0 || weightPercent > 100) {
    throw new RangeError(`${field}: expected a number between 0 and 100, got ${String(weightPercent)}`);
  }
}
