// The gateway's migration runtime, put together: the request path's memory (runtime.ts), the rollups'
// flush (flush.ts), the analysis loop (analysis-loop.ts), transitions (transitions.ts), views (views.ts) and
// who hears of changes (notify.ts). This class only wires them and is the one object the app, the admin API
// and the tests hold.
import {
  ANALYSIS_ACTOR,
  BreakerRegistry,
  MINUTE_MS,
  TransitionError,
  snapshotOf,
  type BreakerOptions,
  type Clock,
  type Component,
  type CostModel,
  type Override,
  type ProviderId,
  type RolloutPlan,
  type RolloutState,
  type Usage,
} from '@bascule/routing';
import type { CostsResponse, HistoryRange, HistoryResponse, HostHealth } from '@bascule/contracts';
import { monthOf, type Fence, type GatewayStore, type StoredAuditEvent, type VersionedState } from '../store/index.ts';
import { ChangeFeed, type RuntimeChange } from '../coordination/feed.ts';
import type { StateSyncTarget } from '../coordination/state-sync.ts';
import { ActiveStudents, type ActiveStudentsOptions } from './active-students.ts';
import { AnalysisLoop } from './analysis-loop.ts';
import { costsView } from './costs.ts';
import { RollupFlusher } from './flush.ts';
import { HistoryCache, historyView } from './history.ts';
import { Notifier } from './notify.ts';
import { RollupBuffer } from './rollup-buffer.ts';
import { RoutingRuntime, type AttemptRecord, type CandidateFallback, type MigrationRuntime } from './runtime.ts';
import { episodeReason, type Episode } from './candidate-fallback.ts';
import { Snapshots } from './snapshots.ts';
import { Transitions, type QualityInput } from './transitions.ts';
import { Views, eventView } from './views.ts';
import type { ComponentSummary, CriteriaResponse, MetricsStreamPayload, QualityResult } from './view-types.ts';
import { webhookOnly, type Notifier as Channels, type NotifierLogger } from '../notify/index.ts';
import { Ratings } from '../satisfaction/ratings.ts';
import { WindowReader } from './windows.ts';
import type { CapacityForecaster } from '../capacity/index.ts';

export type { RuntimeChange };

export interface MigrationsOptions {
  store: GatewayStore;
  plans: Map<Component, RolloutPlan>;
  clock?: Clock;
  /** Length of the alert window (whole minutes; default 5 min). The criteria are judged over the current step. */
  windowMs?: number;
  /** Prices of the config: the MVP's cost per request when its traffic is too thin to measure it. */
  costModel?: CostModel;
  /** A typical request per component, priced by `costModel` (default: TYPICAL_USAGE of mvp-cost.ts). */
  typicalUsage?: Partial<Record<Component, Usage>>;
  /** How often the analysis loop runs once started (default 5 s). */
  intervalMs?: number;
  /** How often the rollups are written once `startFlushing()` ran (default 1 s). */
  flushIntervalMs?: number;
  /** Bound of the rollups kept in memory while the store is away (default 20 000 minute rollups). */
  maxPendingRollups?: number;
  /** Quality results older than this are ignored (default 7 days). */
  qualityWindowMs?: number;
  /** Rollups older than this are deleted (default 8 days). */
  retentionMs?: number;
  breaker?: Partial<Omit<BreakerOptions, 'onStateChange'>>;
  /** Active students' window and bound (default 5 min, 20 000 per component). */
  activeStudents?: Partial<ActiveStudentsOptions>;
  /** Where notifications go (config `notifications`); sent only from the analysis loop. */
  channels?: Channels;
  /** Without channels: a generic JSON webhook for rollbacks, tried once. */
  webhook?: { url?: string; timeoutMs: number };
  /** The lease ticket the analysis loop's commits are fenced with (default none: one process). */
  fence?: () => Fence | undefined;
  /** A provider's hosts' health for the component views (adapters/hosts.ts); absent: no `hosts`. */
  hostHealth?: (provider: ProviderId) => HostHealth[] | undefined;
  /** The self-hosted providers' capacity (capacity/); absent: the `capacity` criterion stays INCONCLUSIVE. */
  capacity?: CapacityForecaster;
  log?: NotifierLogger & { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** The users' ratings (default: kept in this store, flushed like the rollups). */
  ratings?: Ratings;
}

const silentLog = { info() {}, warn() {}, error() {} };

export class Migrations implements MigrationRuntime, StateSyncTarget {
  readonly windowMs: number;
  readonly intervalMs: number;
  /** What the request path calls (synchronous, in memory). */
  readonly routing: RoutingRuntime;
  readonly feed: ChangeFeed;
  readonly ratings: Ratings;
  private readonly store: GatewayStore;
  private readonly clock: Clock;
  private readonly rollups: RollupBuffer;
  private readonly flusher: RollupFlusher;
  private readonly notifier: Notifier;
  private readonly transitions: Transitions;
  private readonly loop: AnalysisLoop;
  private readonly views: Views;
  private readonly snapshots: Snapshots;
  private readonly historyCache: HistoryCache;

  private constructor(options: MigrationsOptions) {
    const log = options.log ?? silentLog;
    this.store = options.store;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.windowMs = Math.max(MINUTE_MS, options.windowMs ?? 5 * MINUTE_MS);
    this.intervalMs = options.intervalMs ?? 5_000;
    this.rollups = new RollupBuffer(options.maxPendingRollups);
    const breakers = new BreakerRegistry(this.clock, {
      ...options.breaker,
      onStateChange: (c) => log.info({ provider: c.provider, from: c.from, to: c.to }, 'circuit breaker changed state'),
    });
    this.routing = new RoutingRuntime(options.plans, breakers, this.rollups, new ActiveStudents(options.activeStudents), this.clock);
    this.flusher = new RollupFlusher(this.store, this.rollups, options.flushIntervalMs ?? 1_000, log);
    this.ratings = options.ratings ?? new Ratings(this.store, { flushIntervalMs: options.flushIntervalMs, log });
    this.feed = new ChangeFeed(log);
    this.notifier = new Notifier(this.feed, options.channels ?? webhookOnly(options.webhook, log));
    const windows = new WindowReader(this.store, this.routing, {
      windowMs: this.windowMs,
      qualityWindowMs: options.qualityWindowMs ?? 7 * 24 * 3_600_000,
      costModel: options.costModel,
      typicalUsage: options.typicalUsage ?? {},
      capacity: options.capacity,
      ratings: this.ratings,
    });
    // A replica that does not analyse takes a new snapshot when a view finds the last one two intervals old.
    this.snapshots = new Snapshots(this.routing, windows, this.notifier, 2 * this.intervalMs);
    this.transitions = new Transitions(this.store, this.routing, this.notifier, this.clock, windows, this.snapshots);
    this.loop = new AnalysisLoop({
      store: this.store,
      runtime: this.routing,
      snapshots: this.snapshots,
      transitions: this.transitions,
      notifier: this.notifier,
      clock: this.clock,
      intervalMs: this.intervalMs,
      retentionMs: options.retentionMs ?? 8 * 24 * 3_600_000,
      fence: options.fence ?? (() => undefined),
      flush: () => this.flush(),
      log,
    });
    this.views = new Views(this.routing, this.snapshots, this.windowMs, options.hostHealth);
    this.routing.onCandidateFallback = (episode, o) => this.recordCandidateFallback(episode, o, log);
    this.historyCache = new HistoryCache(this.store);
  }

  /** Builds the runtime and loads every component's state from the store (adopting new plan versions). */
  static async create(options: MigrationsOptions): Promise<Migrations> {
    const m = new Migrations(options);
    await m.transitions.load(options.plans.values());
    return m;
  }

  // ------------------------------------------------------------------ request path (delegated)

  components = (): Component[] => this.routing.components();
  has = (component: string): component is Component => this.routing.has(component);
  plan = (component: Component): RolloutPlan => this.routing.plan(component);
  state = (component: Component): RolloutState => this.routing.state(component);
  isAvailable = (provider: ProviderId): boolean => this.routing.isAvailable(provider);
  breakerState = (provider: ProviderId) => this.routing.breakerState(provider);
  recordAttempt = (o: AttemptRecord): void => this.routing.recordAttempt(o);
  noteStudent = (component: Component, studentHash: string): void => this.routing.noteStudent(component, studentHash);

  isHealthy = (provider: ProviderId): boolean => this.routing.isHealthy(provider);
  candidateServedAsFallback = (o: CandidateFallback): void => this.routing.candidateServedAsFallback(o);

  /** An MVP outage the candidate covers: one audit event (written off the request path) and a warning. */
  private recordCandidateFallback(episode: Episode, o: CandidateFallback, log: NonNullable<MigrationsOptions['log']>): void {
    const snap = snapshotOf(this.state(o.component));
    const event = { at: o.at, component: o.component, actor: 'gateway', action: 'candidate-fallback' as const, reason: episodeReason(episode, o.failure), from: snap, to: snap };
    this.store
      .recordEvent(event)
      .then((stored) => this.notifier.event(stored))
      .catch((error: unknown) => log.error({ err: error instanceof Error ? error.message : String(error), component: o.component }, 'could not record the candidate-fallback event'));
    log.warn({ component: o.component, provider: episode.mvpProvider }, 'MVP provider failing: the candidate serves as its fallback');
  }

  // ------------------------------------------------------------------ loops

  /** Writes the rollups and ratings gathered since the last flush (adding to the same minutes); kept if it fails. */
  async flush(): Promise<void> {
    await Promise.all([this.flusher.flush(), this.ratings.flush()]);
  }

  startFlushing(): void {
    this.flusher.start();
    this.ratings.start();
  }

  /** Starts the analysis loop (on winning the lease). */
  start(): void {
    this.loop.start();
  }

  /** Stops the analysis loop (on losing the lease). */
  stopAnalysis(): Promise<void> {
    return this.loop.stop();
  }

  get analysing(): boolean {
    return this.loop.started;
  }

  /** The channels, for `bascule notify test` (through the admin API). */
  get notifications(): Channels {
    return this.notifier.channels;
  }

  /** Stops both loops, writes the last rollups, waits for notifications in flight. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.flusher.stop();
    this.ratings.stop();
    try {
      await this.flush();
    } finally {
      await this.notifier.settled();
    }
  }

  /** One evaluation of every component: flush, analyse, decide, apply. */
  tick(now: number = this.clock.now()): Promise<void> {
    return this.loop.tick(now);
  }

  /** Rollups dropped past the in-memory bound while the store was away. */
  get dropped(): { rollups: number; attempts: number } {
    return { rollups: this.rollups.droppedRollups, attempts: this.rollups.droppedAttempts };
  }

  // ------------------------------------------------------------------ changes from other replicas

  /** Routes with another replica's newer states at once; announces each once its snapshot is taken. */
  adopt(states: readonly VersionedState[]): void {
    for (const v of states) {
      if (!this.routing.adopt(v)) continue;
      void this.transitions.refresh(v.state).finally(() => this.notifier.transition(null, v.state.component));
    }
  }

  remoteEvent(event: StoredAuditEvent): void {
    this.notifier.event(event);
  }

  // ------------------------------------------------------------------ admin actions

  /** Raising the weight is gated (GateError) unless `override` says why to go ahead anyway. */
  setWeight(component: Component, weight: number, reason: string, actor = 'admin', override?: Override): Promise<RolloutState> {
    return this.transitions.setWeight(component, weight, reason, actor, override);
  }

  /** Promote is gated like a raise of the weight; rollback and resume are not. */
  act(component: Component, action: 'promote' | 'rollback' | 'resume', reason: string, actor = 'admin', override?: Override): Promise<RolloutState> {
    return this.transitions.act(component, action, reason, actor, override);
  }

  recordQuality(component: Component, q: QualityInput): Promise<QualityResult> {
    return this.transitions.recordQuality(component, q);
  }

  events(query: { component?: Component; before?: number; limit: number }): Promise<StoredAuditEvent[]> {
    return this.store.events(query);
  }

  // ------------------------------------------------------------------ views

  summary(component: Component, now: number = this.clock.now()): Promise<ComponentSummary> {
    return this.views.summary(component, now);
  }

  metricsPayload(component: Component, now: number = this.clock.now()): Promise<MetricsStreamPayload> {
    return this.views.metricsPayload(component, now);
  }

  criteria(component: Component, now: number = this.clock.now()): Promise<CriteriaResponse> {
    return this.views.criteria(component, now);
  }

  /** The last hour, 48 h or 7 days of rollups, in buckets; the minutes not flushed yet included. */
  async history(component: Component, range: HistoryRange, now: number = this.clock.now()): Promise<HistoryResponse> {
    return historyView(component, range, await this.historyCache.rollups(component, range, now, this.rollups.values()), now);
  }

  /** Requests and cost recorded in a UTC month (`YYYY-MM`, default the current one), unflushed minutes included. */
  async costs(month: string | undefined, now: number = this.clock.now()): Promise<CostsResponse> {
    const m = month ?? monthOf(now);
    return costsView(m, this.components(), await this.store.monthlyCosts(m), this.rollups.values(), now);
  }

  eventView = eventView;

  // ------------------------------------------------------------------ change listeners (SSE)

  onChange(listener: (change: RuntimeChange) => void): () => void {
    return this.feed.subscribe(listener);
  }

  /** Open subscriptions (SSE clients). */
  get listenerCount(): number {
    return this.feed.size;
  }
}

export { TransitionError, ANALYSIS_ACTOR };
