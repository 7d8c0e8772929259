// The gateway's migration runtime: plans from the config, state from the store, one breaker per provider,
// per-minute rollups flushed to the store, and the analysis loop that applies the engine's decisions
// (automatic rollback, notified through the notifier; promotion only when the plan enables it). Tests call `tick(now)`.
import {
  ANALYSIS_ACTOR,
  BreakerRegistry,
  MINUTE_MS,
  TransitionError,
  addToRollup,
  adoptPlan,
  alertWindowRollups,
  analysisStart,
  baselineOf,
  breakerCountsAsOpen,
  applyDecision,
  decide,
  emptyHistogram,
  evaluateAlerts,
  evaluateCriteria,
  gateBlockers,
  gatedTransition,
  healthScore,
  initialState,
  mergeRollups,
  minimumTimeLeft,
  minuteOf,
  rollback,
  rollupKey,
  shortWindowStart,
  snapshotOf,
  summarize,
  trackAlerts,
  type Alert,
  type AnalysisBaseline,
  type BreakerOptions,
  type BreakerState,
  type Clock,
  type Component,
  type CostModel,
  type Evaluation,
  type GatedAction,
  type Override,
  type MinuteRollup,
  type ProviderId,
  type QualityMeasure,
  type RolloutPlan,
  type RolloutState,
  type TrackedAlert,
  type Transition,
  type Usage,
  type WindowStats,
} from '@bascule/routing';
import { monthOf, type Store, type StoredAuditEvent } from '../store/index.ts';
import type { AttemptRecord, MigrationRuntime } from './runtime.ts';
import { ActiveStudents, type ActiveStudentsOptions } from './active-students.ts';
import { HistoryCache, historyView } from './history.ts';
import { costsView } from './costs.ts';
import { PLAN_MONTH, type CostsResponse, type HistoryRange, type HistoryResponse } from '@bascule/contracts';
import { mvpCostPerRequest } from './mvp-cost.ts';
import { StepWindows } from './step-window.ts';
import { alertView, eventView, iso, windowMetrics } from './views.ts';
import { CriteriaHistory } from './criteria-history.ts';
import type { ComponentSummary, CriteriaResponse, MetricsStreamPayload, QualityResult } from './view-types.ts';
import { alertNotification, noGoNotification, Notifier, qualityNotification, rollbackNotification, webhookSink, type NotifierLogger } from '../notify/index.ts';

export interface MigrationsOptions {
  store: Store;
  plans: Map<Component, RolloutPlan>;
  clock?: Clock;
  /** Length of the alert window (whole minutes; default 5 min). The criteria are judged over the current step. */
  windowMs?: number;
  /** Prices of the config: the MVP's cost per request when its traffic is too thin to measure it. */
  costModel?: CostModel;
  /** A typical request per component, priced by `costModel` (default: TYPICAL_USAGE of mvp-cost.ts). */
  typicalUsage?: Partial<Record<Component, Usage>>;
  /** How often the loop runs once `start()`ed (default 5 s). */
  intervalMs?: number;
  /** Quality results older than this are ignored (default 7 days). */
  qualityWindowMs?: number;
  /** Rollups older than this are deleted (default 8 days). */
  retentionMs?: number;
  breaker?: Partial<Omit<BreakerOptions, 'onStateChange'>>;
  /** Active students' window and bound (default 5 min, 20 000 per component). */
  activeStudents?: Partial<ActiveStudentsOptions>;
  /** Where notifications go (config `notifications`); sent only from the analysis loop. */
  notifier?: Notifier;
  /** Without a notifier: a generic JSON webhook for rollbacks, tried once. */
  webhook?: { url?: string; timeoutMs: number };
  log?: NotifierLogger & { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export type RuntimeChange =
  | { type: 'state'; component: Component }
  | { type: 'event'; event: StoredAuditEvent }
  | { type: 'alert'; component: Component; state: 'firing' | 'resolved'; alert: TrackedAlert };

/** A provider pair's statistics over one window (the short alert window, or the current step). */
interface Windows {
  production: WindowStats;
  mvp: WindowStats;
  all: WindowStats;
  breakerOpen: boolean;
}

/**
 * One evaluation of a component: what the loop decided on, and the one snapshot every view shows (so the
 * alerts, the providers' figures, the health and the criteria of a page agree, all taken at `at`).
 */
interface Analysis {
  at: number;
  alerts: TrackedAlert[];
  evaluation: Evaluation;
  criticalStreak: number;
  /** The analysis (`analysisStart(state)`) the streak was counted in: a fresh one starts it at 0. */
  streakAnalysisStartedAt: number | null;
  lastDecision: string;
  /** The MVP's cost per request the criteria compared with (reused by the views, which poll often). */
  mvpCostPerRequestEur: number | null;
  windows: Windows;
  breakers: { production: BreakerState; mvp: BreakerState };
}

const silentLog = { info() {}, warn() {}, error() {} };

export class Migrations implements MigrationRuntime {
  readonly windowMs: number;
  readonly intervalMs: number;
  private readonly store: Store;
  private readonly plans: Map<Component, RolloutPlan>;
  private readonly clock: Clock;
  private readonly states = new Map<Component, RolloutState>();
  private readonly analyses = new Map<Component, Analysis>();
  private readonly breakers: BreakerRegistry;
  private readonly pending = new Map<string, MinuteRollup>();
  private readonly students: ActiveStudents;
  private readonly historyCache = new HistoryCache({ rollupsSince: (since, component) => this.store.rollupsSince(since, component) });
  private readonly listeners = new Set<(change: RuntimeChange) => void>();
  private readonly notifier: Notifier;
  private readonly log: NonNullable<MigrationsOptions['log']>;
  private readonly qualityWindowMs: number;
  private readonly retentionMs: number;
  private readonly costModel: CostModel | undefined;
  private readonly typicalUsage: Partial<Record<Component, Usage>>;
  private readonly stepWindows: StepWindows;
  private readonly criteriaHistory = new CriteriaHistory();
  /** The minute of each component's fresh analysis as it stood when it began (see analysis-window.ts). */
  private readonly baselines = new Map<Component, AnalysisBaseline>();
  private timer: NodeJS.Timeout | null = null;

  constructor(options: MigrationsOptions) {
    this.store = options.store;
    this.plans = options.plans;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.windowMs = Math.max(MINUTE_MS, options.windowMs ?? 5 * MINUTE_MS);
    this.intervalMs = options.intervalMs ?? 5_000;
    this.qualityWindowMs = options.qualityWindowMs ?? 7 * 24 * 3_600_000;
    this.retentionMs = options.retentionMs ?? 8 * 24 * 3_600_000;
    this.log = options.log ?? silentLog;
    this.students = new ActiveStudents(options.activeStudents);
    this.costModel = options.costModel;
    this.typicalUsage = options.typicalUsage ?? {};
    this.stepWindows = new StepWindows(this.store);
    const url = options.webhook?.url;
    this.notifier =
      options.notifier ??
      new Notifier({
        routes: url === undefined ? [] : [{ sink: webhookSink('webhook', url), minSeverity: 'info', events: ['rollback'] }],
        timeoutMs: options.webhook?.timeoutMs ?? 3_000,
        retries: 0,
        backoffMs: 1,
        criticalDebounceMs: 0,
        log: this.log,
      });
    this.breakers = new BreakerRegistry(this.clock, {
      ...options.breaker,
      onStateChange: (c) => this.log.info({ provider: c.provider, from: c.from, to: c.to }, 'circuit breaker changed state'),
    });
    for (const plan of this.plans.values()) this.adopt(plan);
  }

  /** Loads a component's state; a new plan version is adopted (an audit event by `deploy`). */
  private adopt(plan: RolloutPlan): void {
    const now = this.clock.now();
    const stored = this.store.loadState(plan.component);
    if (!stored) {
      const state = initialState(plan, now);
      this.store.saveState(state, now);
      this.states.set(plan.component, state);
      return;
    }
    if (String(stored.planVersion) === String(plan.version)) {
      this.states.set(plan.component, stored);
      return;
    }
    const t = adoptPlan(plan, stored, { actor: 'deploy', reason: `plan version ${String(plan.version)} deployed (was ${String(stored.planVersion)})`, at: now });
    this.states.set(plan.component, t.state);
    this.store.saveTransition(t.state, t.event);
  }

  // ------------------------------------------------------------------ MigrationRuntime (request path)

  components(): Component[] {
    return [...this.plans.keys()];
  }

  has(component: string): component is Component {
    return this.plans.has(component as Component);
  }

  plan(component: Component): RolloutPlan {
    const plan = this.plans.get(component);
    if (!plan) throw new RangeError(`component ${component} is not configured`);
    return plan;
  }

  state(component: Component): RolloutState {
    const state = this.states.get(component);
    if (!state) throw new RangeError(`component ${component} is not configured`);
    return state;
  }

  isAvailable(provider: ProviderId): boolean {
    return this.breakers.get(provider).allowRequest();
  }

  breakerState(provider: ProviderId) {
    return this.breakers.get(provider).snapshot();
  }

  recordAttempt(o: AttemptRecord): void {
    // A client error means the provider answered: it counts as a success for the breaker and the windows.
    const providerOk = o.ok || o.failure === 'client';
    const breaker = this.breakers.get(o.provider);
    if (providerOk) breaker.recordSuccess();
    else breaker.recordFailure();
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

  /** A request of a student, by keyed hash (never the raw id): counted in `activeStudents`. */
  noteStudent(component: Component, studentHash: string): void {
    this.students.note(component, studentHash, this.clock.now());
  }

  /** Writes the rollups gathered since the last flush into the store (adding to the same minutes). */
  flush(): void {
    if (this.pending.size === 0) return;
    // Cleared only once written: a failed write (disk full, database busy) keeps them for the next flush.
    // The write is one synchronous transaction, so no attempt can be recorded between the two lines.
    this.store.addRollups([...this.pending.values()]);
    this.pending.clear();
  }

  // ------------------------------------------------------------------ analysis loop

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'analysis loop failed');
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
    await this.notifier.settled();
  }

  /** One evaluation of every component: flush, analyse, decide, apply. */
  tick(now: number = this.clock.now()): void {
    this.flush();
    for (const plan of this.plans.values()) this.analyse(plan, now);
    this.store.pruneRollups(now - this.retentionMs);
  }

  /**
   * Takes a component's snapshot: windows, breakers, alerts (tracked from the previous snapshot) and the
   * step's criteria. The loop decides on it; the views show it; an action is gated on a fresh one.
   */
  private observe(plan: RolloutPlan, now: number): { analysis: Analysis; alerts: Alert[] } {
    const component = plan.component;
    const previous = this.analyses.get(component);
    // Alerts (and so rollback) react to the short window, from the start of the current analysis on (a
    // resume starts a fresh one); the GO/NO-GO criteria judge the whole step.
    const windows = this.windows(plan, now);
    const production = this.breakerState(plan.productionProvider);
    const breakers = { production: production.state, mvp: this.breakerState(plan.mvpProvider).state };
    // A breaker left open by the failures before a resume does not count against the fresh analysis.
    const productionOpen = breakerCountsAsOpen(production, this.state(component));
    const alerts = [
      ...evaluateAlerts(windows.production, plan.thresholds, { component, provider: plan.productionProvider, breakerOpen: productionOpen }),
      ...evaluateAlerts(windows.mvp, plan.thresholds, { component, provider: plan.mvpProvider, breakerOpen: breakers.mvp === 'open' }),
    ];
    const tracked = trackAlerts(previous?.alerts ?? [], alerts, now);
    const { evaluation, mvpCostPerRequestEur } = this.evaluate(plan, now);
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
    };
    this.analyses.set(component, analysis);
    this.criteriaHistory.record(component, now, evaluation);
    for (const alert of tracked.fired) this.emit({ type: 'alert', component, state: 'firing', alert });
    for (const alert of tracked.resolved) this.emit({ type: 'alert', component, state: 'resolved', alert });
    // The stream then sends the whole new snapshot: a page shows the alerts with the figures they came from.
    if (tracked.fired.length > 0 || tracked.resolved.length > 0) this.emit({ type: 'state', component });
    this.notifyAnalysis(plan, this.state(component), { alerts: tracked.fired, evaluation, previous: previous?.evaluation, now });
    return { analysis, alerts };
  }

  private analyse(plan: RolloutPlan, now: number): void {
    const component = plan.component;
    const { analysis, alerts } = this.observe(plan, now);
    const state = this.state(component);
    const { evaluation } = analysis;
    const decision = decide({ plan, state, analysis: { alerts, evaluation }, criticalStreak: analysis.criticalStreak, streakAnalysisStartedAt: analysis.streakAnalysisStartedAt, now });
    analysis.criticalStreak = decision.criticalStreak;
    analysis.streakAnalysisStartedAt = decision.analysisStartedAt;
    analysis.lastDecision = decision.reason;
    const transition = applyDecision(plan, state, decision, now);
    if (!transition) return;
    const event = this.commit(transition);
    this.log.info({ component, action: decision.action, reason: decision.reason }, 'analysis applied a decision');
    if (decision.action === 'rollback') {
      this.analyses.get(component)!.criticalStreak = 0;
      this.notifier.notify(rollbackNotification({ component, provider: plan.productionProvider, reason: decision.reason, at: now, from: event.from, to: event.to, eventId: String(event.id) }));
    }
  }

  /** What a person must hear of this evaluation: critical alerts as they fire, a new NO-GO in migration, a new quality failure. */
  private notifyAnalysis(plan: RolloutPlan, state: RolloutState, o: { alerts: readonly TrackedAlert[]; evaluation: Evaluation; previous: Evaluation | undefined; now: number }): void {
    const component = plan.component;
    for (const alert of o.alerts) if (alert.severity === 'critical') this.notifier.notify(alertNotification(alert, o.now));
    const failedBefore = new Set(o.previous?.criteria.filter((c) => c.verdict === 'FAIL').map((c) => c.id) ?? []);
    if (state.status === 'migrating' && o.evaluation.verdict === 'NO-GO' && o.previous?.verdict !== 'NO-GO') {
      const failed = o.evaluation.criteria.filter((c) => c.verdict === 'FAIL');
      this.notifier.notify(noGoNotification({ component, provider: plan.productionProvider, weight: state.weight, failed, at: o.now }));
    }
    for (const c of o.evaluation.criteria) {
      if ((c.id === 'quality' || c.id === 'accuracy') && c.verdict === 'FAIL' && !failedBefore.has(c.id)) {
        this.notifier.notify(qualityNotification({ component, provider: plan.productionProvider, criterion: c, at: o.now }));
      }
    }
  }

  /** The channels, for `bascule notify test` (through the admin API). */
  get notifications(): Notifier {
    return this.notifier;
  }

  /** The short window; the production route's from the start of the current analysis on (a resume's, say). */
  private windows(plan: RolloutPlan, now: number): Windows {
    const rollups = this.windowRollups(plan.component, now);
    const fresh = alertWindowRollups(rollups, this.state(plan.component), now, this.windowMs, this.baselines.get(plan.component));
    return { ...this.windowsOf(plan, rollups), production: summarize(fresh, { provider: plan.productionProvider, route: 'production' }) };
  }

  private windowsOf(plan: RolloutPlan, rollups: readonly MinuteRollup[]): Windows {
    return {
      production: summarize(rollups, { provider: plan.productionProvider, route: 'production' }),
      mvp: summarize(rollups, { provider: plan.mvpProvider }),
      all: summarize(rollups),
      breakerOpen: this.breakerState(plan.productionProvider).state === 'open',
    };
  }

  /** The current step's window; before the first step (no step start), the short window. */
  private stepWindow(plan: RolloutPlan, now: number): Windows {
    const started = this.state(plan.component).stepStartedAt;
    if (started === null) return this.windows(plan, now);
    return this.windowsOf(plan, this.stepWindows.rollups(plan.component, started, now, [...this.pending.values()]));
  }

  /** The GO/NO-GO verdict of the current step, with the MVP's cost per request as the cost reference. */
  private evaluate(plan: RolloutPlan, now: number): { evaluation: Evaluation; mvpCostPerRequestEur: number | null } {
    const w = this.stepWindow(plan, now);
    const mvpCostPerRequestEur = this.mvpCost(plan, w);
    const evaluation = evaluateCriteria(plan.criteria, {
      production: w.production,
      mvp: w.mvp,
      quality: this.quality(plan, now),
      mvpQuality: this.quality(plan, now, plan.mvpProvider),
      monthlyRequests: PLAN_MONTH[plan.component].requests,
      breakerOpen: w.breakerOpen,
      ...(mvpCostPerRequestEur === null ? {} : { mvpCostPerRequestEur }),
    });
    return { evaluation, mvpCostPerRequestEur };
  }

  private mvpCost(plan: RolloutPlan, step: Windows): number | null {
    return mvpCostPerRequest({
      component: plan.component,
      mvpProvider: plan.mvpProvider,
      mvp: step.mvp,
      minRequests: plan.thresholds.minRequests,
      costModel: this.costModel,
      typicalUsage: this.typicalUsage[plan.component],
    });
  }

  /** The last hour, 48 h or 7 days of rollups, in buckets; the minutes not flushed yet included. */
  history(component: Component, range: HistoryRange, now: number = this.clock.now()): HistoryResponse {
    return historyView(component, range, this.historyCache.rollups(component, range, now, this.pending.values()), now);
  }

  /** Requests and cost recorded in a UTC month (`YYYY-MM`, default the current one), unflushed minutes included. */
  costs(month: string | undefined, now: number = this.clock.now()): CostsResponse {
    const m = month ?? monthOf(now);
    return costsView(m, this.components(), this.store.monthlyCosts(m), this.pending.values(), now);
  }

  /** The stored minutes of the window plus what has not been flushed yet. */
  private windowRollups(component: Component, now: number): MinuteRollup[] {
    const since = shortWindowStart(now, this.windowMs);
    const unflushed = [...this.pending.values()].filter((r) => r.component === component && r.minute >= since);
    return mergeRollups([...this.store.rollupsSince(since, component), ...unflushed]);
  }

  /** Sample-weighted mean of the recent quality results of a provider (the production one by default). */
  private quality(plan: RolloutPlan, now: number, provider: ProviderId = plan.productionProvider): QualityMeasure | null {
    const results = this.store.qualitySince(plan.component, provider, now - this.qualityWindowMs);
    const samples = results.reduce((s, r) => s + r.samples, 0);
    if (samples === 0) return null;
    return { score: results.reduce((s, r) => s + r.score * r.samples, 0) / samples, samples };
  }

  // ------------------------------------------------------------------ admin actions

  /** Raising the weight is gated (GateError) unless `override` says why to go ahead anyway. */
  setWeight(component: Component, weight: number, reason: string, actor = 'admin', override?: Override): RolloutState {
    return this.transition(component, 'set-weight', reason, actor, override, weight);
  }

  /** Promote is gated like a raise of the weight; rollback and resume are not. */
  act(component: Component, action: 'promote' | 'rollback' | 'resume', reason: string, actor = 'admin', override?: Override): RolloutState {
    return this.transition(component, action, reason, actor, override);
  }

  private transition(component: Component, action: GatedAction | 'rollback', reason: string, actor: string, override?: Override, weight?: number): RolloutState {
    const plan = this.plan(component);
    const state = this.state(component);
    const at = this.clock.now();
    if (action === 'rollback') return this.commit(rollback(plan, state, { actor, reason, at })).state;
    // Gated on a fresh snapshot, not on the last loop's (up to an interval old).
    const { analysis } = this.observe(plan, at);
    const t = gatedTransition(plan, state, action, { actor, reason, at, weight, ...(override === undefined ? {} : { override }) }, { evaluation: analysis.evaluation, alerts: analysis.alerts, now: at });
    this.commit(t);
    return t.state;
  }

  /** Persists first (state + event in one transaction), then serves the new state. */
  private commit(t: Transition): StoredAuditEvent & { state: RolloutState } {
    const event = this.store.saveTransition(t.state, t.event);
    const component = t.state.component;
    const started = analysisStart(t.state);
    if (started !== null && started !== this.baselines.get(component)?.startedAt) {
      this.baselines.set(component, baselineOf(this.windowRollups(component, started), started));
    }
    this.states.set(component, t.state);
    // The views show a snapshot: take a new one for the new state (a resume's fresh window, the gates).
    this.observe(this.plan(t.state.component), t.event.at);
    this.emit({ type: 'event', event });
    this.emit({ type: 'state', component: t.state.component });
    return { ...event, state: t.state };
  }

  recordQuality(component: Component, q: { benchmark: string; score: number; samples: number; provider: ProviderId; at?: number }): QualityResult {
    const at = q.at ?? this.clock.now();
    const stored = this.store.addQuality({ at, component, provider: q.provider, benchmark: q.benchmark, score: q.score, samples: q.samples });
    const snap = snapshotOf(this.state(component));
    const event = this.store.appendEvent({
      at: this.clock.now(),
      component,
      actor: 'admin',
      action: 'quality-recorded',
      reason: `${q.benchmark}: ${(q.score * 100).toFixed(1)} % over ${q.samples} samples (${q.provider})`,
      from: snap,
      to: snap,
    });
    this.emit({ type: 'event', event });
    // The quality criterion reads the new result now, not at the loop's next evaluation.
    this.observe(this.plan(component), this.clock.now());
    this.emit({ type: 'state', component });
    return { id: String(stored.id), component, provider: q.provider, benchmark: q.benchmark, score: q.score, samples: q.samples, at: iso(at) };
  }

  events(query: { component?: Component; before?: number; limit: number }): StoredAuditEvent[] {
    return this.store.events(query);
  }

  // ------------------------------------------------------------------ views

  /** The last snapshot, or one taken now before the loop's first evaluation. */
  private snapshot(plan: RolloutPlan, now: number): Analysis {
    return this.analyses.get(plan.component) ?? this.observe(plan, now).analysis;
  }

  /** Every figure from one snapshot (`evaluatedAt`): alerts, providers, health, criteria and gates agree. */
  summary(component: Component, now: number = this.clock.now()): ComponentSummary {
    const plan = this.plan(component);
    const state = this.state(component);
    const a = this.snapshot(plan, now);
    const gateInput = { evaluation: a.evaluation, alerts: a.alerts, now: a.at };
    return {
      component,
      status: state.status,
      weight: state.weight,
      step: state.step,
      plan: { version: plan.version, steps: plan.steps.map((s) => ({ ...s })), autoPromote: plan.autoPromote },
      stepStartedAt: state.stepStartedAt === null ? null : iso(state.stepStartedAt),
      providers: this.providerViews(plan, a),
      health: healthScore(a.windows.production, plan.thresholds),
      metrics: this.componentMetrics(a),
      alerts: a.alerts.map(alertView),
      activeStudents: this.students.count(component, now),
      evaluatedAt: iso(a.at),
      analysis: {
        startedAt: a.streakAnalysisStartedAt === null ? null : iso(a.streakAnalysisStartedAt),
        failingEvaluations: a.criticalStreak,
        rollbackAfter: plan.rollbackAfterEvaluations,
        lastDecision: a.lastDecision,
      },
      stepTime: minimumTimeLeft(plan, state, a.at),
      verdict: a.evaluation.verdict,
      criteria: a.evaluation.criteria.map((c) => ({ ...c })),
      gates: {
        promote: state.status === 'migrating' || state.status === 'mvp' ? gateBlockers(plan, state, 'promote', gateInput) : [],
        raise: state.status === 'rollback' || state.weight >= 100 ? [] : gateBlockers(plan, state, 'set-weight', gateInput, state.weight + 0.01),
      },
    };
  }

  /** The snapshot again, for the stream: measurements, alerts, analysis, verdict and gates, all at `at`. */
  metricsPayload(component: Component, now: number = this.clock.now()): MetricsStreamPayload {
    const s = this.summary(component, now);
    const { metrics, providers, health, alerts, evaluatedAt, analysis, stepTime, verdict, criteria, gates } = s;
    return { component, at: evaluatedAt!, metrics, providers, health, alerts, evaluatedAt, analysis, stepTime, verdict, criteria, gates };
  }

  /** The short window of all the component's requests, and the MVP cost reference the criteria used. */
  private componentMetrics(a: Analysis): ComponentSummary['metrics'] {
    return { ...windowMetrics(a.windows.all, this.windowMs), mvpCostPerRequestEur: a.mvpCostPerRequestEur };
  }

  private providerViews(plan: RolloutPlan, a: Analysis): ComponentSummary['providers'] {
    return {
      production: { id: plan.productionProvider, breaker: a.breakers.production, metrics: windowMetrics(a.windows.production, this.windowMs) },
      mvp: { id: plan.mvpProvider, breaker: a.breakers.mvp, metrics: windowMetrics(a.windows.mvp, this.windowMs) },
    };
  }

  /** The snapshot's verdict, and the criteria's history (in memory, see criteria-history.ts). */
  criteria(component: Component, now: number = this.clock.now()): CriteriaResponse {
    const plan = this.plan(component);
    const a = this.snapshot(plan, now);
    return {
      component,
      provider: plan.productionProvider,
      step: this.state(component).step,
      criteria: a.evaluation.criteria.map((c) => ({ ...c })),
      verdict: a.evaluation.verdict,
      evaluatedAt: iso(a.at),
      history: this.criteriaHistory.of(component).map((p) => ({ at: iso(p.at), verdict: p.verdict, criteria: p.criteria })),
    };
  }

  eventView = eventView;

  // ------------------------------------------------------------------ change listeners (SSE)

  onChange(listener: (change: RuntimeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open subscriptions (SSE clients). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private emit(change: RuntimeChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (error) {
        this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'change listener failed');
      }
    }
  }
}

export { TransitionError, ANALYSIS_ACTOR };
