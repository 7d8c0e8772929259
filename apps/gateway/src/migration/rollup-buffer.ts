// The per-minute rollups recorded since the last flush. The request path adds to them (no await, no
// allocation but a new minute's rollup); the flush takes them all at once, swapping in an empty map before
// it awaits the write, and puts them back if the write fails. While the store is away they pile up, so they
// are bounded: past `maxRollups` keys the oldest minutes are dropped and counted.
//
// The request path finds its rollup through a slot per (component, provider, route), held by nested maps
// of the (interned) names, rather than by a `minute|component|provider|route` string made and hashed per
// attempt: the slot keeps the current minute's rollup until the minute turns or the map is swapped.
import { addSampleToRollup, emptyHistogram, mergeRollups, minuteOf, rollupKey, type Component, type MinuteRollup, type ProviderId, type RollupRoute } from '@bascule/routing';
import type { AttemptRecord } from './runtime.ts';

/** The rollup a (component, provider, route) adds to now: valid for `minute` while `generation` is the buffer's. */
interface Slot {
  minute: number;
  generation: number;
  rollup: MinuteRollup | null;
}

export class RollupBuffer {
  private pending = new Map<string, MinuteRollup>();
  private readonly slots = new Map<Component, Map<ProviderId, Map<RollupRoute, Slot>>>();
  /** Bumped whenever `pending` is swapped or its rollups replaced: every slot then looks its rollup up again. */
  private generation = 0;
  /** Rollups (and the attempts in them) dropped past the bound since start. */
  droppedRollups = 0;
  droppedAttempts = 0;

  constructor(readonly maxRollups = 20_000) {}

  get size(): number {
    return this.pending.size;
  }

  record(o: AttemptRecord, providerOk: boolean): void {
    const minute = minuteOf(o.at);
    const slot = this.slotOf(o.component, o.provider, o.route);
    let r = slot.minute === minute && slot.generation === this.generation ? slot.rollup : null;
    if (r === null) {
      r = this.rollupOf(minute, o.component, o.provider, o.route);
      slot.minute = minute;
      slot.generation = this.generation;
      slot.rollup = r;
    }
    const latencyMs = Number.isFinite(o.latencyMs) && o.latencyMs >= 0 ? o.latencyMs : 0;
    const costEur = Number.isFinite(o.costEur) && o.costEur >= 0 ? o.costEur : 0;
    addSampleToRollup(r, latencyMs, providerOk, costEur);
  }

  /** The pending rollup of that key, made if there is none (a new minute, or the first attempt since a take). */
  private rollupOf(minute: number, component: Component, provider: ProviderId, route: RollupRoute): MinuteRollup {
    const key = rollupKey({ minute, component, provider, route });
    let r = this.pending.get(key);
    if (!r) {
      r = { minute, component, provider, route, count: 0, errors: 0, latencySumMs: 0, costEur: 0, histogram: emptyHistogram() };
      this.pending.set(key, r);
    }
    return r;
  }

  private slotOf(component: Component, provider: ProviderId, route: RollupRoute): Slot {
    let byProvider = this.slots.get(component);
    if (!byProvider) this.slots.set(component, (byProvider = new Map()));
    let byRoute = byProvider.get(provider);
    if (!byRoute) byProvider.set(provider, (byRoute = new Map()));
    let slot = byRoute.get(route);
    if (!slot) byRoute.set(route, (slot = { minute: Number.NaN, generation: -1, rollup: null }));
    return slot;
  }

  /** What has not been written yet (views add it to the stored minutes). */
  values(): IterableIterator<MinuteRollup> {
    return this.pending.values();
  }

  /** Everything pending, leaving an empty buffer for the attempts recorded while the write is awaited. */
  take(): MinuteRollup[] {
    const taken = this.pending;
    this.pending = new Map();
    this.generation++;
    return [...taken.values()];
  }

  /** A failed write's rollups back in, added to those recorded meanwhile; then the bound applied. */
  restore(taken: readonly MinuteRollup[]): void {
    this.generation++;
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
