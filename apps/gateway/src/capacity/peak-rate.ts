// The busiest minute of a component since its step began: the load the capacity forecast scales. A school's
// traffic has peaks (the morning reading session), and a promotion decided in a quiet hour must not forecast
// from that hour: so the analysis keeps, per component, the highest per-minute rate it has read in the
// current step (every replica's rollups, summed). In memory on the analysing replica: a restart or a new
// lease holder starts again from the short window it can read (docs/capacity.md says so).
import { MINUTE_MS, type Component, type MinuteRollup } from '@bascule/routing';

interface Peak {
  stepStartedAt: number | null;
  requestsPerMinute: number;
}

/**
 * A student's request of the component, counted once: a `fallback` attempt is the second attempt of a request
 * its production attempt already counted, and a `shadow` call is the gateway's own comparison, not a student's.
 */
export const isRequest = (r: MinuteRollup): boolean => r.route !== 'fallback' && r.route !== 'shadow';

/** Requests per minute of each minute in `rollups` (one component's; by default every request once). */
export function perMinute(rollups: readonly MinuteRollup[], filter: (r: MinuteRollup) => boolean = isRequest): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of rollups) if (filter(r)) counts.set(r.minute, (counts.get(r.minute) ?? 0) + r.count);
  return counts;
}

export class PeakRates {
  private readonly peaks = new Map<Component, Peak>();

  /** Folds the window's minutes into the step's peak; answers the peak in requests a second. */
  observe(component: Component, stepStartedAt: number | null, rollups: readonly MinuteRollup[]): number {
    let peak = this.peaks.get(component);
    if (!peak || peak.stepStartedAt !== stepStartedAt) {
      peak = { stepStartedAt, requestsPerMinute: 0 };
      this.peaks.set(component, peak);
    }
    for (const count of perMinute(rollups).values()) peak.requestsPerMinute = Math.max(peak.requestsPerMinute, count);
    return peak.requestsPerMinute / (MINUTE_MS / 1000);
  }
}
