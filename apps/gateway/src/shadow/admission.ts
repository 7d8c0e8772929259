// Which MVP-served requests are shadowed: a share of them (`sampleRate`), at most `maxPerMinute` a minute
// (the budget, counted per clock minute on this gateway) and `maxConcurrent` in flight. A sampled request
// past the budget or the bound is dropped and counted; it is never queued (a queue would hold children's
// audio in memory while it waits).
import { minuteOf, type Component } from '@bascule/routing';
import type { ShadowConfig } from '@bascule/contracts';

export type Refusal = 'not-sampled' | 'over-budget' | 'full';

export interface ShadowCounts {
  /** Requests the sample picked. */
  sampled: number;
  /** Sampled, then dropped: over the minute's budget or past the concurrency bound. */
  dropped: number;
  /** Shadow calls that failed (error, timeout) or whose comparison threw. */
  failed: number;
  /** Shadow calls answered and compared. */
  compared: number;
}

export class Admission {
  private readonly spent = new Map<Component, { minute: number; calls: number }>();
  private readonly inFlight = new Map<Component, number>();
  readonly counts = new Map<Component, ShadowCounts>();

  constructor(private readonly random: () => number = Math.random) {}

  countsOf(component: Component): ShadowCounts {
    let c = this.counts.get(component);
    if (!c) {
      c = { sampled: 0, dropped: 0, failed: 0, compared: 0 };
      this.counts.set(component, c);
    }
    return c;
  }

  /** Reserves a slot (release it with `release`), or says why not. */
  admit(component: Component, settings: ShadowConfig, now: number): Refusal | null {
    if (!(this.random() < settings.sampleRate)) return 'not-sampled';
    const counts = this.countsOf(component);
    counts.sampled += 1;
    const minute = minuteOf(now);
    let budget = this.spent.get(component);
    if (!budget || budget.minute !== minute) {
      budget = { minute, calls: 0 };
      this.spent.set(component, budget);
    }
    if (budget.calls >= settings.maxPerMinute) {
      counts.dropped += 1;
      return 'over-budget';
    }
    const running = this.inFlight.get(component) ?? 0;
    if (running >= settings.maxConcurrent) {
      counts.dropped += 1;
      return 'full';
    }
    budget.calls += 1;
    this.inFlight.set(component, running + 1);
    return null;
  }

  release(component: Component): void {
    this.inFlight.set(component, Math.max(0, (this.inFlight.get(component) ?? 1) - 1));
  }

  running(component: Component): number {
    return this.inFlight.get(component) ?? 0;
  }
}
