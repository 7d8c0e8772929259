// Active students per component: distinct keyed hashes of student ids (never raw ids) seen in the last
// few minutes, for the dashboard's overview. In memory only and bounded: each component keeps at most
// `maxPerComponent` hashes, and past that bound the oldest is forgotten, so the count saturates at the
// bound instead of growing with the traffic. A restart starts from zero (it is a "right now" figure).
import type { Component } from '@bascule/routing';

export interface ActiveStudentsOptions {
  /** How long a student counts as active after their last request (default 5 min). */
  windowMs: number;
  /** Hashes kept per component at most (default 20 000: ~2 MB per component at 32-character hashes). */
  maxPerComponent: number;
}

export const ACTIVE_STUDENTS_DEFAULTS: ActiveStudentsOptions = { windowMs: 5 * 60_000, maxPerComponent: 20_000 };

export class ActiveStudents {
  private readonly options: ActiveStudentsOptions;
  /**
   * Per component, hash → last seen (ms). A Map iterates in insertion order and a hash seen again is
   * re-inserted, so the first entries are always the least recently seen: expiry and eviction both take
   * them from the front, O(1) per request amortised.
   */
  private readonly seen = new Map<Component, Map<string, number>>();

  constructor(options: Partial<ActiveStudentsOptions> = {}) {
    this.options = { ...ACTIVE_STUDENTS_DEFAULTS, ...options };
    if (!(this.options.maxPerComponent >= 1)) throw new RangeError(`maxPerComponent: expected at least 1, got ${this.options.maxPerComponent}`);
  }

  /** One request of a student (`studentHash`: the keyed hash, never the raw id) at `at` (ms). */
  note(component: Component, studentHash: string, at: number): void {
    let hashes = this.seen.get(component);
    if (!hashes) {
      hashes = new Map();
      this.seen.set(component, hashes);
    }
    hashes.delete(studentHash);
    hashes.set(studentHash, at);
    this.expire(hashes, at);
    if (hashes.size > this.options.maxPerComponent) hashes.delete(hashes.keys().next().value!);
  }

  /** Distinct students of the component seen within the window ending at `now`. */
  count(component: Component, now: number): number {
    const hashes = this.seen.get(component);
    if (!hashes) return 0;
    this.expire(hashes, now);
    return hashes.size;
  }

  /** Hashes held, all components together (for tests of the bound). */
  get size(): number {
    let n = 0;
    for (const hashes of this.seen.values()) n += hashes.size;
    return n;
  }

  private expire(hashes: Map<string, number>, now: number): void {
    const oldest = now - this.options.windowMs;
    for (const [hash, at] of hashes) {
      if (at > oldest) break;
      hashes.delete(hash);
    }
  }
}
