// The statistics the analysis and the views judge by: the short alert window and the current step, read
// from the store (every replica's rollups, added up) plus this replica's rollups not flushed yet.
import {
  alertWindowRollups,
  analysisStart,
  baselineOf,
  evaluateCriteria,
  mergeRollups,
  shortWindowStart,
  summarize,
  summarizeSatisfaction,
  minuteOf,
  evaluateSatisfactionAlert,
  SATISFACTION_ALERT,
  type Alert,
  type AnalysisBaseline,
  type Component,
  type CostModel,
  type Evaluation,
  type MinuteRollup,
  type ProviderId,
  type QualityMeasure,
  type RolloutPlan,
  type RolloutState,
  type RollupRoute,
  type Usage,
  type WindowStats,
} from '@bascule/routing';
import { PLAN_MONTH, type CapacitySummary } from '@bascule/contracts';
import type { CapacityForecaster } from '../capacity/index.ts';
import type { GatewayStore } from '../store/index.ts';
import { LastRead } from '../store/last-read.ts';
import { mvpCostPerRequest } from './mvp-cost.ts';
import { benchmarkMeasure, qualityMeasure } from './quality-measure.ts';
import type { RoutingRuntime } from './runtime.ts';
import { StepWindows } from './step-window.ts';
import type { Ratings } from '../satisfaction/ratings.ts';

/** Every route a student's request can take (not `shadow`). */
const STUDENT_ROUTES: RollupRoute[] = ['production', 'mvp', 'fallback'];

/** A provider pair's statistics over one window (the short alert window, or the current step). */
export interface Windows {
  production: WindowStats;
  mvp: WindowStats;
  all: WindowStats;
  breakerOpen: boolean;
}

export interface WindowReaderOptions {
  windowMs: number;
  qualityWindowMs: number;
  costModel?: CostModel;
  typicalUsage: Partial<Record<Component, Usage>>;
  /** The self-hosted providers' capacity (capacity/); absent: the `capacity` criterion stays INCONCLUSIVE. */
  capacity?: CapacityForecaster;
  /** The users' ratings (user satisfaction): the criterion over the step, the alert over the last hour. */
  ratings: Ratings;
}

export class WindowReader {
  private readonly stepWindows: StepWindows;
  /** The last window read per component: what the views show while the store is away. */
  private readonly lastStored = new LastRead<MinuteRollup>();
  /** The minute of each component's fresh analysis as it stood when it began (see analysis-window.ts). */
  private readonly baselines = new Map<Component, AnalysisBaseline>();

  constructor(
    private readonly store: GatewayStore,
    private readonly runtime: RoutingRuntime,
    readonly options: WindowReaderOptions,
  ) {
    this.stepWindows = new StepWindows(store);
  }

  /** The short window; the production route's from the start of the current analysis on (a resume's, say). */
  async windows(plan: RolloutPlan, now: number): Promise<Windows> {
    const rollups = await this.windowRollups(plan.component, now);
    const fresh = alertWindowRollups(rollups, this.runtime.state(plan.component), now, this.options.windowMs, this.baselines.get(plan.component));
    return { ...this.windowsOf(plan, rollups), production: summarize(fresh, { provider: plan.productionProvider, route: 'production' }) };
  }

  /**
   * A state that starts a fresh analysis (a resume, a weight set by hand): what its first minute held until
   * then, so the alerts count only what came after. Lost on a restart (that minute is then left out).
   */
  async noteAnalysisStart(state: RolloutState): Promise<void> {
    const started = analysisStart(state);
    if (started === null || started === this.baselines.get(state.component)?.startedAt) return;
    this.baselines.set(state.component, baselineOf(await this.windowRollups(state.component, started), started));
  }

  private windowsOf(plan: RolloutPlan, rollups: readonly MinuteRollup[]): Windows {
    return {
      production: summarize(rollups, { provider: plan.productionProvider, route: 'production' }),
      mvp: summarize(rollups, { provider: plan.mvpProvider, route: STUDENT_ROUTES }),
      // The students' requests: the shadow comparison's calls (route `shadow`) are not the component's traffic.
      all: summarize(rollups, { route: STUDENT_ROUTES }),
      breakerOpen: this.runtime.breakerState(plan.productionProvider).state === 'open',
    };
  }

  /** The current step's window; before the first step (no step start), the short window. */
  async stepWindow(plan: RolloutPlan, now: number): Promise<Windows> {
    const started = this.runtime.state(plan.component).stepStartedAt;
    if (started === null) return this.windows(plan, now);
    return this.windowsOf(plan, await this.stepWindows.rollups(plan.component, started, now, [...this.runtime.rollups.values()]));
  }

  /** The GO/NO-GO verdict of the current step, with the MVP's cost per request as the cost reference. */
  async evaluate(plan: RolloutPlan, now: number): Promise<{ evaluation: Evaluation; mvpCostPerRequestEur: number | null; capacity: CapacitySummary | undefined; quality: QualityMeasure | null }> {
    const w = await this.stepWindow(plan, now);
    const mvpCostPerRequestEur = this.mvpCost(plan, w);
    const capacity = await this.capacity(plan, now);
    const qualities = await this.productionQualities(plan, now);
    const evaluation = evaluateCriteria(plan.criteria, {
      production: w.production,
      mvp: w.mvp,
      ...qualities,
      mvpQuality: await this.quality(plan, now, plan.mvpProvider),
      monthlyRequests: PLAN_MONTH[plan.component].requests,
      breakerOpen: w.breakerOpen,
      satisfaction: await this.stepSatisfaction(plan, now),
      ...(mvpCostPerRequestEur === null ? {} : { mvpCostPerRequestEur }),
      ...(capacity === undefined ? {} : { capacity }),
    });
    return { evaluation, mvpCostPerRequestEur, capacity, quality: qualities.quality };
  }

  /** The production provider's capacity from the short window's minutes (the forecaster keeps the step's peak). */
  private async capacity(plan: RolloutPlan, now: number): Promise<CapacitySummary | undefined> {
    if (!this.options.capacity) return undefined;
    const rollups = await this.windowRollups(plan.component, now);
    const state = this.runtime.state(plan.component);
    return this.options.capacity.read({ plan, state, rollups, windowMs: this.options.windowMs, activeStudents: this.runtime.students.count(plan.component, now) });
  }

  /**
   * The ratings of the students routed to the candidate during the current step (the last hour before one),
   * from the step's first minute: ratings are kept per minute, so that minute counts whole.
   */
  private async stepSatisfaction(plan: RolloutPlan, now: number) {
    const since = this.runtime.state(plan.component).stepStartedAt ?? now - SATISFACTION_ALERT.windowMs;
    return summarizeSatisfaction(await this.options.ratings.since(plan.component, minuteOf(since)), { provider: plan.productionProvider, route: 'production' });
  }

  /** The plan's alert below 7/10 over the last hour, per provider the raters' students were routed to. */
  async satisfactionAlerts(plan: RolloutPlan, now: number): Promise<Alert[]> {
    const minutes = await this.options.ratings.since(plan.component, now - SATISFACTION_ALERT.windowMs);
    return [plan.productionProvider, plan.mvpProvider].flatMap((provider) => evaluateSatisfactionAlert(summarizeSatisfaction(minutes, { provider }), { component: plan.component, provider }));
  }

  mvpCost(plan: RolloutPlan, step: Windows): number | null {
    return mvpCostPerRequest({
      component: plan.component,
      mvpProvider: plan.mvpProvider,
      mvp: step.mvp,
      minRequests: plan.thresholds.minRequests,
      costModel: this.options.costModel,
      typicalUsage: this.options.typicalUsage[plan.component],
    });
  }

  /** The stored minutes of the window (the last read while the store is away) plus what has not been flushed yet. */
  private async windowRollups(component: Component, now: number): Promise<MinuteRollup[]> {
    const since = shortWindowStart(now, this.options.windowMs);
    const stored = await this.lastStored.since(component, since, () => this.store.rollupsSince(since, component));
    const unflushed = [...this.runtime.rollups.values()].filter((r) => r.component === component && r.minute >= since);
    return mergeRollups([...stored, ...unflushed]);
  }

  /** The recent quality results of a provider (the production one by default) as one measure (quality-measure.ts). */
  private async quality(plan: RolloutPlan, now: number, provider: ProviderId = plan.productionProvider): Promise<QualityMeasure | null> {
    return qualityMeasure(plan.component, await this.store.qualitySince(plan.component, provider, now - this.options.qualityWindowMs));
  }

  /**
   * The production provider's quality (benchmarks and shadow agreement: what the quality criterion, the health
   * and the quality alert read) and its benchmarks alone (`accuracy_gain`), from one read of the store.
   */
  private async productionQualities(plan: RolloutPlan, now: number): Promise<{ quality: QualityMeasure | null; benchmarkQuality: QualityMeasure | null }> {
    const results = await this.store.qualitySince(plan.component, plan.productionProvider, now - this.options.qualityWindowMs);
    return { quality: qualityMeasure(plan.component, results), benchmarkQuality: benchmarkMeasure(results) };
  }
}
