// One evaluation of a component at one instant: the windows, the breakers, the alerts and the step's
// criteria. The analysis loop decides on it, the views show it and an action is gated on a fresh one, so
// every figure of a page agrees (alerts, provider table, health, criteria, gates: all taken at `at`).
// On the lease holder the loop takes one every interval; a replica that does not analyse takes one when a
// view asks and the last is older than `maxAgeMs`, so its page shows alerts too.
import { breakerCountsAsOpen, evaluateAlerts, trackAlerts, type Alert, type BreakerState, type Component, type Evaluation, type QualityMeasure, type RolloutPlan, type TrackedAlert } from '@bascule/routing';
import type { CapacitySummary } from '@bascule/contracts';
import { CriteriaHistory } from './criteria-history.ts';
import type { Notifier } from './notify.ts';
import type { RoutingRuntime } from './runtime.ts';
import type { WindowReader, Windows } from './windows.ts';

export interface Analysis {
  at: number;
  alerts: TrackedAlert[];
  evaluation: Evaluation;
  criticalStreak: number;
  /** The analysis (`analysisStart(state)`) the streak was counted in: a fresh one starts it at 0. */
  streakAnalysisStartedAt: number | null;
  lastDecision: string;
  /** The MVP's cost per request the criteria compared with. */
  mvpCostPerRequestEur: number | null;
  windows: Windows;
  breakers: { production: BreakerState; mvp: BreakerState };
  /** The production provider's capacity, when it is one we run. */
  capacity?: CapacitySummary;
  /** The production provider's quality score (benchmarks, shadow agreement): part of its health and alerts. */
  quality: QualityMeasure | null;
}

export interface Observation {
  analysis: Analysis;
  /** The alerts of this evaluation (what the engine decides on). */
  alerts: Alert[];
  /** Alerts that fired since the previous snapshot. */
  fired: readonly TrackedAlert[];
  /** The previous snapshot's verdicts, if any. */
  previous: Evaluation | undefined;
}

export class Snapshots {
  readonly analyses = new Map<Component, Analysis>();
  /** The criteria's verdicts over time (in memory, see criteria-history.ts). */
  readonly history = new CriteriaHistory();

  constructor(
    private readonly runtime: RoutingRuntime,
    private readonly windows: WindowReader,
    private readonly notifier: Notifier,
    private readonly maxAgeMs: number,
  ) {}

  /** Takes a component's snapshot now; alerts are tracked from the previous one (fired, resolved). */
  async observe(plan: RolloutPlan, now: number): Promise<Observation> {
    const component = plan.component;
    // Alerts (and so rollback) react to the short window, from the start of the current analysis on (a
    // resume starts a fresh one); the GO/NO-GO criteria judge the whole step.
    const windows = await this.windows.windows(plan, now);
    const production = this.runtime.breakerState(plan.productionProvider);
    const breakers = { production: production.state, mvp: this.runtime.breakerState(plan.mvpProvider).state };
    // A breaker left open by the failures before a resume does not count against the fresh analysis.
    const productionOpen = breakerCountsAsOpen(production, this.runtime.state(component));
    // The verdict first: it reads the production provider's quality, which the alerts use too.
    const { evaluation, mvpCostPerRequestEur, capacity, quality } = await this.windows.evaluate(plan, now);
    const alerts = [
      ...evaluateAlerts(windows.production, plan.thresholds, { component, provider: plan.productionProvider, breakerOpen: productionOpen, quality }),
      ...evaluateAlerts(windows.mvp, plan.thresholds, { component, provider: plan.mvpProvider, breakerOpen: breakers.mvp === 'open' }),
      ...(await this.windows.satisfactionAlerts(plan, now)),
    ];
    // Read after the awaits: another observation may have finished meanwhile.
    const previous = this.analyses.get(component);
    const tracked = trackAlerts(previous?.alerts ?? [], alerts, now);
    const analysis: Analysis = {
      at: now,
      alerts: tracked.active,
      evaluation,
      criticalStreak: previous?.criticalStreak ?? 0,
      streakAnalysisStartedAt: previous?.streakAnalysisStartedAt ?? null,
      lastDecision: previous?.lastDecision ?? 'not evaluated yet',
      mvpCostPerRequestEur,
      windows,
      breakers,
      ...(capacity === undefined ? {} : { capacity }),
      quality,
    };
    this.analyses.set(component, analysis);
    this.history.record(component, now, evaluation);
    for (const alert of tracked.fired) this.notifier.alert(component, 'firing', alert);
    for (const alert of tracked.resolved) this.notifier.alert(component, 'resolved', alert);
    // The stream then sends the whole new snapshot: a page shows the alerts with the figures they came from.
    if (tracked.fired.length > 0 || tracked.resolved.length > 0) this.notifier.transition(null, component);
    return { analysis, alerts, fired: tracked.fired, previous: previous?.evaluation };
  }

  /** The last snapshot while it is recent, or one taken now. */
  async current(plan: RolloutPlan, now: number): Promise<Analysis> {
    const last = this.analyses.get(plan.component);
    if (last && now - last.at <= this.maxAgeMs) return last;
    return (await this.observe(plan, now)).analysis;
  }
}
