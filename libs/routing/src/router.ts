// The router: which provider serves a student's request, what to fall back to, and the fallback loop
// itself, bounded by one deadline (the component's SLA): in turn, or hedged (the second attempt starts
// while the first still runs; the first answer wins and the other is aborted).
import { isInProductionCohort } from './cohort.ts';
import { classifyFailure, type Failure } from './failure.ts';
import type { RolloutPlan, RolloutState } from './plan.ts';
import type { Clock, ProviderId, Route, Timers } from './types.ts';

export type Cohort = 'production' | 'mvp';

export interface PlannedAttempt {
  provider: ProviderId;
  route: Route;
}

export interface RoutePlan {
  cohort: Cohort;
  /** In order; the first one that succeeds serves the request. */
  attempts: PlannedAttempt[];
}

export interface PlanRouteInput {
  plan: RolloutPlan;
  state: RolloutState;
  studentId: string;
  /** Whether a provider may be called now: usually `breakers.allowRequest(provider)`. Asked for production only. */
  isAvailable: (provider: ProviderId) => boolean;
  /**
   * Whether a provider's breaker is closed now, without reserving a probe. Asked for the production
   * provider of a live component (status other than `mvp`) when the student is in the MVP cohort: a closed
   * breaker makes it the MVP's fallback. Absent: the MVP has no fallback.
   */
  isHealthy?: (provider: ProviderId) => boolean;
  /** The candidate is deployed and warm: it backs the MVP up even before the migration starts (status `mvp`). */
  candidateStandby?: boolean;
}

/**
 * Production cohort, production available: [production (`production`), MVP (`fallback`)].
 * Production cohort, production unavailable (breaker open): [MVP (`fallback`)], no added latency.
 * MVP cohort (or weight 0, or rollback): [MVP (`mvp`)], then, once the component's migration has started
 * (status not `mvp`, or the candidate on standby) and the production provider's breaker is closed,
 * [production (`fallback`)]: an MVP outage is then served by the candidate rather than failing every request.
 */
export function planRoute({ plan, state, studentId, isAvailable, isHealthy, candidateStandby }: PlanRouteInput): RoutePlan {
  const inProduction = state.weight > 0 && state.status !== 'rollback' && isInProductionCohort(plan.component, studentId, state.weight);
  if (!inProduction) {
    const mvp: PlannedAttempt = { provider: plan.mvpProvider, route: 'mvp' };
    if ((state.status === 'mvp' && candidateStandby !== true) || isHealthy === undefined || !isHealthy(plan.productionProvider)) return { cohort: 'mvp', attempts: [mvp] };
    return { cohort: 'mvp', attempts: [mvp, { provider: plan.productionProvider, route: 'fallback' }] };
  }
  const fallback: PlannedAttempt = { provider: plan.mvpProvider, route: 'fallback' };
  if (!isAvailable(plan.productionProvider)) return { cohort: 'production', attempts: [fallback] };
  return { cohort: 'production', attempts: [{ provider: plan.productionProvider, route: 'production' }, fallback] };
}

export interface AttemptContext {
  route: Route;
  /** Time left before the request's deadline; the adapter must time its call out within it. */
  remainingMs: number;
  attemptIndex: number;
  /**
   * Hedged routes only: aborted when the request no longer needs this attempt (another one answered
   * first, or the client left); the call must then drop its connection.
   */
  signal?: AbortSignal;
}

/** What an attempt answers: a value, or a failure (`committed` when a stream already sent bytes to the client). */
export type AttemptResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: Failure; committed?: boolean };

export type AttemptFn<T> = (provider: ProviderId, ctx: AttemptContext) => Promise<AttemptResult<T>>;

/** One attempt as it happened, for metrics and breakers. */
export interface AttemptRecord {
  provider: ProviderId;
  route: Route;
  attemptIndex: number;
  startedAt: number;
  latencyMs: number;
  ok: boolean;
  failure?: Failure;
  committed: boolean;
  /**
   * Hedged routes only, an attempt aborted because another one settled the request first: `overtaken` when
   * it had started first and a later one answered before it (its failure reads as a timeout; whether it
   * counts against the provider is the caller's call, see the gateway's executor), `cancelled` when it had
   * started later (cut short, not judged).
   */
  lostRace?: 'overtaken' | 'cancelled';
}

export type RouteOutcome<T> =
  | { ok: true; value: T; provider: ProviderId; route: Route; attempts: AttemptRecord[] }
  | {
      ok: false;
      /** 504 when the deadline ran out, 502 when every provider failed, the upstream's 4xx for bad input. */
      httpStatus: number;
      code: 'timeout' | 'upstream_failed' | 'client_error';
      failure: Failure;
      provider: ProviderId | null;
      route: Route | null;
      attempts: AttemptRecord[];
    };

export interface ExecuteOptions {
  clock: Clock;
  /** Absolute deadline, ms since epoch: the request's start + the plan's slaMs. */
  deadlineAt: number;
  /** At most this many attempts (default: all planned). */
  maxAttempts?: number;
  /**
   * Hedge: start the second attempt this many ms after the first if the first has not settled by then
   * (needs `timers`). Without it, attempts run in turn.
   */
  hedgeAfterMs?: number;
  timers?: Timers;
  /** The client's signal (hedged routes): aborting it aborts every attempt's signal. */
  signal?: ClientLeft;
  /**
   * Where a hedged route gets its attempts' controllers and gives back those it did not abort once it ends
   * (default: a new controller per attempt, none given back). Only for attempts that let go of their signal
   * when they settle: a controller given back is handed to a later route, which may abort it.
   */
  controllers?: ControllerSource;
}

/**
 * How a hedged route hears that the client left: an AbortSignal, or anything with its `aborted`, `reason`
 * and abort listeners. The gateway passes its per-connection watch (a plain slot per route): on Node 20 a
 * listener added to and removed from the connection's long-lived AbortSignal on every request cost about
 * 10 % of the gateway's CPU per request and 20–60 MB of RSS under load (decision 0022).
 */
export interface ClientLeft {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: { handleEvent(): void }, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: { handleEvent(): void }): void;
}

/** Hedged attempts' abort controllers, made or reused (see the gateway's SignalPool). */
export interface ControllerSource {
  take(): AbortController;
  give(controller: AbortController): void;
}

const NEW_CONTROLLERS: ControllerSource = { take: () => new AbortController(), give: () => undefined };

/**
 * Why a hedged attempt still in flight is aborted when another settles the request. One error for all: a
 * DOMException records a stack when it is made, which costs as much as the abort.
 */
const SETTLED_BY_ANOTHER = new DOMException('another attempt settled the request', 'AbortError');

/** Client errors the gateway passes through; another 4xx from an upstream is the gateway's problem (502). */
const PASS_THROUGH = new Set([400, 413, 415, 422]);

/**
 * Tries the attempts in order. Falls back only on a transient failure, only while time remains, and never
 * after a stream committed bytes. A thrown error is classified like a returned failure.
 */
export async function executeRoute<T>(attempts: PlannedAttempt[], attempt: AttemptFn<T>, options: ExecuteOptions): Promise<RouteOutcome<T>> {
  if (attempts.length === 0) throw new TypeError('attempts: expected at least one planned attempt (see planRoute)');
  if (!Number.isFinite(options.deadlineAt)) throw new TypeError('deadlineAt: expected a time in ms since the epoch');
  const { clock, deadlineAt } = options;
  const max = Math.min(options.maxAttempts ?? attempts.length, attempts.length);
  if (max >= 2 && options.hedgeAfterMs !== undefined && options.timers !== undefined) return new HedgedRoute<T>(attempts, attempt, options, max).run();
  const records: AttemptRecord[] = [];
  for (let i = 0; i < max; i++) {
    const planned = attempts[i]!;
    const startedAt = clock.now();
    const remainingMs = deadlineAt - startedAt;
    if (remainingMs <= 0) break;
    let result: AttemptResult<T>;
    try {
      result = await attempt(planned.provider, { route: planned.route, remainingMs, attemptIndex: i });
    } catch (error) {
      result = { ok: false, failure: classifyFailure(error), committed: (error as { committed?: unknown } | null)?.committed === true };
    }
    // Every field spelled out: spreading `planned` and then adding keys takes a slow path in V8 (~4 µs a
    // request on Node 20, measured in bench/engine.ts), for an object made on every routed request.
    const record: AttemptRecord = { provider: planned.provider, route: planned.route, attemptIndex: i, startedAt, latencyMs: Math.max(0, clock.now() - startedAt), ok: result.ok, committed: false };
    records.push(record);
    if (result.ok) return { ok: true, value: result.value, provider: planned.provider, route: planned.route, attempts: records };
    record.failure = result.failure;
    record.committed = result.committed === true;
    if (result.failure.class === 'client') return failed('client_error', result.failure, planned, records);
    if (record.committed) return failed(result.failure.kind === 'timeout' ? 'timeout' : 'upstream_failed', result.failure, planned, records);
  }
  const last = records.at(-1);
  const outOfTime = clock.now() >= deadlineAt || last === undefined || last.failure?.kind === 'timeout';
  const failure: Failure = last?.failure ?? { class: 'transient', kind: 'timeout', message: 'deadline reached before any attempt' };
  return failed(outOfTime ? 'timeout' : 'upstream_failed', failure, last ?? null, records);
}

/** Why the route gave up, from the attempt that settled last. */
function endOf<T>(records: AttemptRecord[], last: AttemptRecord | undefined, clock: Clock, deadlineAt: number): RouteOutcome<T> {
  const outOfTime = clock.now() >= deadlineAt || last === undefined || last.failure?.kind === 'timeout';
  const failure: Failure = last?.failure ?? { class: 'transient', kind: 'timeout', message: 'deadline reached before any attempt' };
  return failed(outOfTime ? 'timeout' : 'upstream_failed', failure, last ?? null, records);
}

const OVERTAKEN: Failure = { class: 'transient', kind: 'timeout', message: 'slower than the hedged attempt, aborted' };

/**
 * A route whose attempts may overlap: the first starts now, the next one when the hedge delay passes or as
 * soon as the one in flight fails (whichever comes first). The first success wins, and a client error or a
 * committed failure ends the route; either way every other attempt in flight is aborted and marked
 * (`lostRace`). Records are kept by attempt index.
 */
class HedgedRoute<T> {
  private readonly records: AttemptRecord[] = [];
  private readonly controllers: AbortController[] = [];
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly source: ControllerSource;
  private resolve!: (outcome: RouteOutcome<T>) => void;
  private started = 0;
  private inFlight = 0;
  private done = false;
  private hedge: unknown = null;
  private lastSettled: AttemptRecord | undefined;

  constructor(
    private readonly planned: PlannedAttempt[],
    private readonly attempt: AttemptFn<T>,
    private readonly options: ExecuteOptions,
    private readonly max: number,
  ) {
    this.clock = options.clock;
    this.timers = options.timers!;
    this.source = options.controllers ?? NEW_CONTROLLERS;
  }

  run(): Promise<RouteOutcome<T>> {
    return new Promise<RouteOutcome<T>>((resolve) => {
      this.resolve = resolve;
      this.options.signal?.addEventListener('abort', this, { once: true });
      if (!this.startNext()) return this.finish(endOf<T>(this.records, undefined, this.clock, this.options.deadlineAt));
      const delay = this.options.hedgeAfterMs!;
      if (delay < this.options.deadlineAt - this.clock.now()) this.hedge = this.timers.set(() => this.onHedge(), Math.max(0, delay));
    });
  }

  /** The client's signal aborted: every attempt's signal follows. */
  handleEvent(): void {
    for (const c of this.controllers) c.abort(this.options.signal?.reason);
  }

  private onHedge(): void {
    this.hedge = null;
    if (!this.done) this.startNext();
  }

  /** Starts the next planned attempt if one is left and time remains; false otherwise. */
  private startNext(): boolean {
    if (this.started >= this.max) return false;
    const startedAt = this.clock.now();
    const remainingMs = this.options.deadlineAt - startedAt;
    if (remainingMs <= 0) return false;
    const i = this.started++;
    const planned = this.planned[i]!;
    const controller = this.source.take();
    if (this.options.signal?.aborted) controller.abort(this.options.signal.reason);
    this.controllers[i] = controller;
    this.records[i] = { provider: planned.provider, route: planned.route, attemptIndex: i, startedAt, latencyMs: 0, ok: false, committed: false };
    this.inFlight++;
    let call: Promise<AttemptResult<T>>;
    try {
      call = this.attempt(planned.provider, { route: planned.route, remainingMs, attemptIndex: i, signal: controller.signal });
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (result) => this.settle(i, result),
      (error: unknown) => this.settle(i, { ok: false, failure: classifyFailure(error), committed: (error as { committed?: unknown } | null)?.committed === true }),
    );
    return true;
  }

  private settle(i: number, result: AttemptResult<T>): void {
    this.inFlight--;
    if (this.done) return;
    const record = this.records[i]!;
    record.latencyMs = Math.max(0, this.clock.now() - record.startedAt);
    record.ok = result.ok;
    this.lastSettled = record;
    const planned = this.planned[i]!;
    if (result.ok) return this.finish({ ok: true, value: result.value, provider: planned.provider, route: planned.route, attempts: this.records }, i);
    record.failure = result.failure;
    record.committed = result.committed === true;
    if (result.failure.class === 'client') return this.finish(failed('client_error', result.failure, planned, this.records), i);
    if (record.committed) return this.finish(failed(result.failure.kind === 'timeout' ? 'timeout' : 'upstream_failed', result.failure, planned, this.records), i);
    // A transient failure: the next attempt starts now rather than at the hedge; the route fails when none is left.
    if (this.startNext() || this.inFlight > 0) return;
    this.finish(endOf<T>(this.records, this.lastSettled, this.clock, this.options.deadlineAt));
  }

  /**
   * Ends the route: the other attempts in flight are aborted and marked as lost; the controllers of the
   * attempts that settled go back to their source.
   */
  private finish(outcome: RouteOutcome<T>, settledBy = -1): void {
    this.done = true;
    if (this.hedge !== null) this.timers.clear(this.hedge);
    this.options.signal?.removeEventListener('abort', this);
    const now = this.clock.now();
    for (let j = 0; j < this.started; j++) {
      const record = this.records[j]!;
      if (j === settledBy || record.ok || record.failure !== undefined) {
        const controller = this.controllers[j]!;
        if (!controller.signal.aborted) this.source.give(controller);
        continue;
      }
      record.latencyMs = Math.max(0, now - record.startedAt);
      record.lostRace = j < settledBy && outcome.ok ? 'overtaken' : 'cancelled';
      if (record.lostRace === 'overtaken') record.failure = OVERTAKEN;
      this.controllers[j]!.abort(SETTLED_BY_ANOTHER);
    }
    this.resolve(outcome);
  }
}

function failed<T>(code: 'timeout' | 'upstream_failed' | 'client_error', failure: Failure, at: PlannedAttempt | null, attempts: AttemptRecord[]): RouteOutcome<T> {
  const httpStatus = code === 'timeout' ? 504 : code === 'client_error' && failure.status !== undefined && PASS_THROUGH.has(failure.status) ? failure.status : 502;
  return { ok: false, httpStatus, code, failure, provider: at?.provider ?? null, route: at?.route ?? null, attempts };
}
