// The per-minute rollups recorded since the last flush. The request path adds to them (no await, no
// allocation but a new minute's rollup); the flush takes them all at once, swapping in an empty map before
// it awaits the write, and puts them back if the write fails. While the store is away they pile up, so they
// are bounded: past `maxRollups` keys the oldest minutes are dropped and counted.
import { addToRollup, emptyHistogram, mergeRollups, minuteOf, rollupKey, type MinuteRollup } from '@bascule/routing';
import type { AttemptRecord } from './runtime.ts';

export class RollupBuffer {
  private pending = new Map<string, MinuteRollup>();
  /** Rollups (and the attempts in them) dropped past the bound since start. */
  droppedRollups = 0;
  droppedAttempts = 0;

  constructor(readonly maxRollups = 20_000) {}

  get size(): number {
    return this.pending.size;
  }

  record(o: AttemptRecord, providerOk: boolean): void {
    const minute = minuteOf(o.at);
    const key = rollupKey({ minute, component: o.component, provider: o.provider, route: o.route });
    let r = this.pending.get(key);
    if (!r) {
      r = { minute, component: o.component, provider: o.provider, route: o.route, count: 0, errors: 0, latencySumMs: 0, costEur: 0, histogram: emptyHistogram() };
      this.pending.set(key, r);
    }
    const latencyMs = Number.isFinite(o.latencyMs) && o.latencyMs >= 0 ? o.latencyMs : 0;
    const costEur = Number.isFinite(o.costEur) && o.costEur >= 0 ? o.costEur : 0;
    addToRollup(r, { at: o.at, component: o.component, provider: o.provider, route: o.route, latencyMs, ok: providerOk, costEur });
  }

  /** What has not been written yet (views add it to the stored minutes). */
  values(): IterableIterator<MinuteRollup> {
    return this.pending.values();
  }

  /** Everything pending, leaving an empty buffer for the attempts recorded while the write is awaited. */
  take(): MinuteRollup[] {
    const taken = this.pending;
    this.pending = new Map();
    return [...taken.values()];
  }

  /** A failed write's rollups back in, added to those recorded meanwhile; then the bound applied. */
  restore(taken: readonly MinuteRollup[]): void {
    for (const r of taken) {
      const key = rollupKey(r);
      const seen = this.pending.get(key);
      this.pending.set(key, seen ? mergeRollups([r, seen])[0]! : r);
    }
    if (this.pending.size <= this.maxRollups) return;
    const oldestFirst = [...this.pending.entries()].sort((a, b) => a[1].minute - b[1].minute);
    for (const [key, r] of oldestFirst.slice(0, this.pending.size - this.maxRollups)) {
      this.pending.delete(key);
      this.droppedRollups += 1;
      this.droppedAttempts += r.count;
    }
  }
}
