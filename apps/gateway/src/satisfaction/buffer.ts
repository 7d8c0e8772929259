// The ratings recorded since the last flush, as per-minute aggregates (rollup-buffer.ts's twin): the
// request path adds to them in memory; the flush takes them all, and puts them back if the write fails.
// While the store is away they pile up, bounded: past `maxMinutes` keys the oldest minutes are dropped and counted.
import { addRating, mergeSatisfactionMinute, minuteOfRating, satisfactionKey, minuteOf, type Rating, type SatisfactionMinute } from '@bascule/routing';

export class SatisfactionBuffer {
  private pending = new Map<string, SatisfactionMinute>();
  /** Ratings dropped past the bound since start. */
  droppedRatings = 0;

  constructor(readonly maxMinutes = 5_000) {}

  get size(): number {
    return this.pending.size;
  }

  record(r: Rating): void {
    const key = satisfactionKey({ ...r, minute: minuteOf(r.at) });
    const seen = this.pending.get(key);
    if (seen) addRating(seen, r.score);
    else this.pending.set(key, minuteOfRating(r));
  }

  values(): IterableIterator<SatisfactionMinute> {
    return this.pending.values();
  }

  take(): SatisfactionMinute[] {
    const taken = this.pending;
    this.pending = new Map();
    return [...taken.values()];
  }

  /** A failed write's aggregates back in, added to those recorded meanwhile; then the bound applied. */
  restore(taken: readonly SatisfactionMinute[]): void {
    for (const m of taken) {
      const key = satisfactionKey(m);
      const seen = this.pending.get(key);
      this.pending.set(key, seen ? mergeSatisfactionMinute(m, seen) : m);
    }
    if (this.pending.size <= this.maxMinutes) return;
    const oldestFirst = [...this.pending.entries()].sort((a, b) => a[1].minute - b[1].minute);
    for (const [key, m] of oldestFirst.slice(0, this.pending.size - this.maxMinutes)) {
      this.pending.delete(key);
      this.droppedRatings += m.count;
    }
  }
}
