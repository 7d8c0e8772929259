// Which requests the alerts (and so the automatic rollback) are judged on: the short window, but never those
// before the current analysis began. A resume or a weight set by hand starts a fresh analysis, so the
// failures that caused a rollback cannot roll the fixed provider back again once it is resumed (Argo Rollouts
// and Flagger start a fresh analysis on retry too).
//
// Rollups are per minute, and the minute of the start holds requests from before and after it. The caller
// keeps a baseline (that minute's rollups as they were at the start) and only what was added since counts;
// without one (a restart, another replica's action), the whole minute is left out.
import { MINUTE_MS, minuteOf, rollupKey, type MinuteRollup } from './metrics.ts';
import { analysisStart, type RolloutState } from './plan.ts';

/** The first minute of the short window of `windowMs` ending now. */
export function shortWindowStart(now: number, windowMs: number): number {
  return minuteOf(now) - (Math.max(1, Math.ceil(windowMs / MINUTE_MS)) - 1) * MINUTE_MS;
}

/** The minute of a fresh analysis's start, as it stood then (copied: rollups are updated in place). */
export interface AnalysisBaseline {
  startedAt: number;
  rollups: MinuteRollup[];
}

export function baselineOf(rollups: Iterable<Readonly<MinuteRollup>>, startedAt: number): AnalysisBaseline {
  const minute = minuteOf(startedAt);
  const copies: MinuteRollup[] = [];
  for (const r of rollups) if (r.minute === minute) copies.push({ ...r, histogram: { ...r.histogram, counts: [...r.histogram.counts] } });
  return { startedAt, rollups: copies };
}

/** `a` less `b` (same key): what was added to a rollup since `b` was copied. Latency bounds stay `a`'s. */
export function subtractRollup(a: Readonly<MinuteRollup>, b: Readonly<MinuteRollup>): MinuteRollup {
  const counts = a.histogram.counts.map((n, i) => Math.max(0, n - (b.histogram.counts[i] ?? 0)));
  const count = Math.max(0, a.count - b.count);
  return {
    ...a,
    count,
    errors: Math.max(0, a.errors - b.errors),
    latencySumMs: Math.max(0, a.latencySumMs - b.latencySumMs),
    costEur: Math.max(0, a.costEur - b.costEur),
    histogram: count === 0 ? { counts: [], min: null, max: null } : { ...a.histogram, counts },
  };
}

/** The rollups the alerts judge now: the short window's, from the start of the current analysis on. */
export function alertWindowRollups(rollups: readonly MinuteRollup[], state: RolloutState, now: number, windowMs: number, baseline?: AnalysisBaseline | null): MinuteRollup[] {
  const windowStart = shortWindowStart(now, windowMs);
  const started = analysisStart(state);
  const inWindow = rollups.filter((r) => r.minute >= windowStart);
  if (started === null) return inWindow;
  const startMinute = minuteOf(started);
  const before = baseline?.startedAt === started ? new Map(baseline.rollups.map((b) => [rollupKey(b), b])) : null;
  const out: MinuteRollup[] = [];
  for (const r of inWindow) {
    if (r.minute > startMinute || (r.minute === startMinute && started === startMinute)) out.push(r);
    else if (r.minute === startMinute && before) {
      const b = before.get(rollupKey(r));
      out.push(b ? subtractRollup(r, b) : r);
    }
  }
  return out;
}

/**
 * Whether the candidate's open breaker counts against the current analysis: not when it opened before the
 * analysis began (the failures a resume leaves behind). It lets its probe through after its pause; if the
 * provider still fails, it opens again, inside the fresh analysis, and counts.
 */
export function breakerCountsAsOpen(breaker: { state: string; openedAt: number | null }, state: RolloutState): boolean {
  if (breaker.state !== 'open') return false;
  const started = analysisStart(state);
  return started === null || breaker.openedAt === null || breaker.openedAt >= started;
}
