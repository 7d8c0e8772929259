// The GO/NO-GO criteria are judged over the current step (held for days), not over the short alert window:
// availability > 99.5 % needs hundreds of samples, and a step's verdict must not hinge on its last 5 minutes.
// A step's rollups can span 7 days of minutes, read every few seconds by the analysis loop, so the minutes
// that can no longer change are folded once into one rollup per (provider, route) and kept here; only the
// recent minutes are read from the store again.
import { MINUTE_MS, mergeRollups, minuteOf, type Component, type MinuteRollup } from '@bascule/routing';
import { SETTLE_MS, type RollupSource } from './settled.ts';

interface Entry {
  /** First whole minute of the step. */
  from: number;
  /** Minutes before this are folded into `settled`. */
  settledUntil: number;
  settled: MinuteRollup[];
}

/** The first minute that lies wholly inside a step begun at `stepStartedAt` (as `summarize`'s `since`). */
export function firstWholeMinute(stepStartedAt: number): number {
  const minute = minuteOf(stepStartedAt);
  return minute === stepStartedAt ? minute : minute + MINUTE_MS;
}

export class StepWindows {
  private readonly entries = new Map<Component, Entry>();

  constructor(
    private readonly store: RollupSource,
    private readonly settleMs: number = SETTLE_MS,
  ) {}

  /** Rollups of `component` since the step began (`stepStartedAt`), plus `unflushed` ones of those minutes. */
  async rollups(component: Component, stepStartedAt: number, now: number, unflushed: readonly MinuteRollup[]): Promise<MinuteRollup[]> {
    const from = firstWholeMinute(stepStartedAt);
    let entry = this.entries.get(component);
    if (!entry || entry.from !== from) {
      entry = { from, settledUntil: from, settled: [] };
      this.entries.set(component, entry);
    }
    const readFrom = entry.settledUntil;
    const stored = await this.store.rollupsSince(readFrom, component);
    // Another caller may have folded further while this one awaited the read: fold from where it left off.
    if (this.entries.get(component) !== entry || entry.settledUntil !== readFrom) return this.rollups(component, stepStartedAt, now, unflushed);
    const settledUntil = Math.max(entry.settledUntil, minuteOf(now) - this.settleMs);
    const newlySettled = stored.filter((r) => r.minute < settledUntil);
    if (newlySettled.length > 0) entry.settled = fold([...entry.settled, ...newlySettled], from);
    entry.settledUntil = settledUntil;
    const recent = stored.filter((r) => r.minute >= settledUntil);
    const pending = unflushed.filter((r) => r.component === component && r.minute >= from);
    return mergeRollups([...entry.settled, ...recent, ...pending]);
  }
}

/** One rollup per (provider, route), dated at the step's first minute so `summarize(…, {since})` keeps it. */
function fold(rollups: readonly MinuteRollup[], minute: number): MinuteRollup[] {
  return mergeRollups(rollups.map((r) => ({ ...r, minute })));
}
