// Which minutes the alerts (and so the automatic rollback) are judged on: the short window, but never the
// minutes before the current analysis began. A resume or a weight set by hand starts a fresh analysis, so
// the failures that caused a rollback cannot roll the fixed provider back again once it is resumed.
import { MINUTE_MS, minuteOf } from './metrics.ts';
import { analysisStart, type RolloutState } from './plan.ts';

/** The first minute that lies wholly after `at` (rollups are per minute: a minute begun before `at` is mixed). */
export function firstWholeMinute(at: number): number {
  const minute = minuteOf(at);
  return minute === at ? minute : minute + MINUTE_MS;
}

/** The first minute of the short window of `windowMs` ending now. */
export function shortWindowStart(now: number, windowMs: number): number {
  return minuteOf(now) - (Math.max(1, Math.ceil(windowMs / MINUTE_MS)) - 1) * MINUTE_MS;
}

/** The first minute of the alert window: the short window's, moved past the start of the current analysis. */
export function alertWindowStart(state: RolloutState, now: number, windowMs: number): number {
  const window = shortWindowStart(now, windowMs);
  const started = analysisStart(state);
  return started === null ? window : Math.max(window, firstWholeMinute(started));
}
