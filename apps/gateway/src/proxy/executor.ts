// The request executor: plans a student's route (planRoute), runs the attempts within the component's
// deadline (executeRoute: fallback on transient failures only, never after a stream committed bytes, at
// most `maxAttempts`; the second provider hedged at the first one's measured p95), reports every
// attempt to the runtime and the metrics, and measures how long the request waited on upstreams, so the
// gateway's own overhead can be reported.
import {
  executeRoute,
  hedgeCeilingMs,
  hedgeDelayMs,
  lastMomentDelayMs,
  LatencyTracker,
  planRoute,
  requestCost,
  type AttemptContext,
  type AttemptRecord,
  type AttemptResult,
  type ClientLeft,
  type Clock,
  type Component,
  type CostModel,
  type ExecuteOptions,
  type Failure,
  type PlannedAttempt,
  type ProviderId,
  type Route,
  type RouteOutcome,
  type Timers,
  type Usage,
} from '@bascule/routing';
import { UpstreamError, type Adapter, type CallContext, type Priced } from '../adapters/index.ts';
import { PublicError } from '../http/errors.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import type { AttemptFailure, MigrationRuntime } from '../migration/runtime.ts';
import { attemptsText } from './failure-text.ts';
import { SignalPool } from './signal-pool.ts';

export interface ExecutorOptions {
  runtime: MigrationRuntime;
  adapters: ReadonlyMap<ProviderId, Adapter>;
  costModel: CostModel;
  metrics: GatewayMetrics | null;
  clock?: Clock;
  /** Attempts per request at most (no retry storms): default 2, production then MVP. */
  maxAttempts?: number;
  /** Production providers that back their MVP up even before the migration starts (see standby.ts). */
  standby?: ReadonlySet<ProviderId>;
}

export interface Routed<T> {
  value: T;
  component: Component;
  provider: ProviderId;
  route: Route;
  /** Milliseconds spent waiting on upstreams, all attempts together. */
  upstreamMs: number;
}

/** An attempt whose outcome is only known later (a stream): the caller reports how it ended. */
export interface Pending {
  finish(ok: boolean, failure?: Failure, usage?: Usage): void;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * Production calls overtaken in a row (no answer between) before the next ones count as timeouts. A healthy
 * provider is overtaken at its slowest 5 % of calls (the hedge fires at its p95): four in a row, with no
 * success between, is about one chance in 160 000, and a breaker needs several failures more to open.
 */
export const STALL_AFTER_OVERTAKEN = 3;
const systemTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (handle) => clearTimeout(handle as NodeJS.Timeout) };

/**
 * The client left before its answer (its signal aborted). Not the provider's failure: the attempt is not
 * reported to the breaker or the windows, and nothing falls back, since nobody waits for the answer.
 * `committed` is how @bascule/routing's executeRoute is told to stop there.
 */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
  readonly committed = true;
  constructor(cause?: unknown) {
    super('the client closed the connection before its answer', cause === undefined ? undefined : { cause });
  }
}

export function attemptFailureOf(failure: Failure): AttemptFailure {
  switch (failure.kind) {
    case 'timeout':
      return 'timeout';
    case 'client':
      return 'client';
    case 'server':
    case 'rate-limited':
      return 'status';
    case 'connection':
      return /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed/i.test(failure.message) ? 'reset' : 'connection';
    default:
      return failure.status !== undefined ? 'status' : /reset|socket|closed/i.test(failure.message) ? 'reset' : 'connection';
  }
}

/** The client's side of a request: when it leaves, and an AbortSignal for calls that need one (http/client-signal.ts). */
export type Client = ClientLeft & { readonly signal: AbortSignal };

/** What one upstream call of an attempt gets: the route, its timeout (the time left before the deadline) and its signal (the client's, or the hedged route's). */
export type AttemptCall<T> = (provider: ProviderId, ctx: CallContext & { route: Route }) => Promise<Priced<T>>;

/** One request's notes across its attempts, by attempt index. */
class Ledger {
  /** Usage of each successful attempt. */
  readonly costs: (Usage | undefined)[] = [];
  /** Attempts cut short because the client left: 'during' the upstream call, or 'before' it was made (no upstream was called, so there is no attempt to count). */
  readonly gone: ('before' | 'during')[] = [];
  /** The upstream's 4xx, whose body may name the field at fault. */
  clientError: UpstreamError | null = null;
  /** Milliseconds during which at least one upstream call was in flight (hedged attempts overlap). */
  private waitedMs = 0;
  private inFlight = 0;
  private since = 0;

  begin(): void {
    if (this.inFlight++ === 0) this.since = performance.now();
  }

  end(): void {
    if (--this.inFlight === 0) this.waitedMs += performance.now() - this.since;
  }

  /** Milliseconds spent waiting on upstreams, all attempts together (an aborted loser still in flight counts until now). */
  get upstreamMs(): number {
    return this.inFlight > 0 ? this.waitedMs + performance.now() - this.since : this.waitedMs;
  }
}

export class Executor {
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  /** The breaker gauge's last value per provider: the gauge is written when it changes, not per request. */
  private readonly breakerGauge = new Map<ProviderId, number>();
  /** Each provider's recent answer times (time to the answer, or to a stream's first event): the hedge's trigger. */
  private readonly latencies = new Map<ProviderId, LatencyTracker>();
  /** Hedged attempts' abort controllers, reused by the requests whose answer is read whole (`run`). */
  private readonly signals = new SignalPool();

  constructor(private readonly options: ExecutorOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 2;
  }

  /** Asked by planRoute for the production provider; made once, not per request. */
  private readonly isAvailable = (provider: ProviderId): boolean => {
    const available = this.options.runtime.isAvailable(provider);
    const open = available ? 0 : 1;
    if (this.options.metrics && this.breakerGauge.get(provider) !== open) {
      this.breakerGauge.set(provider, open);
      this.options.metrics.breakerOpen.set({ provider }, open);
    }
    return available;
  };

  /** Asked by planRoute for the candidate of an MVP-cohort request: may it be the MVP's fallback? */
  private readonly isHealthy = (provider: ProviderId): boolean => this.options.runtime.isHealthy?.(provider) ?? false;

  private latencyOf(provider: ProviderId): LatencyTracker {
    let tracker = this.latencies.get(provider);
    if (!tracker) {
      tracker = new LatencyTracker();
      this.latencies.set(provider, tracker);
    }
    return tracker;
  }

  /**
   * When a fallback starts (ms after the first attempt), for a deadline of `slaMs`: the production cohort's
   * MVP at production's p95 (hedgeDelayMs), the MVP cohort's candidate at the last moment that leaves it
   * time to answer (lastMomentDelayMs).
   */
  hedgeAfterMs(first: PlannedAttempt, second: PlannedAttempt, slaMs: number): number {
    if (first.route === 'mvp') return lastMomentDelayMs(slaMs, this.latencies.get(second.provider));
    return hedgeDelayMs(slaMs, this.latencies.get(first.provider), this.latencies.get(second.provider));
  }

  adapterFor<A extends Adapter>(provider: ProviderId, kind: A['kind']): A {
    const adapter = this.options.adapters.get(provider);
    if (!adapter || adapter.kind !== kind) throw new PublicError('internal_error', `provider ${provider} has no ${kind} adapter configured`);
    return adapter as A;
  }

  /**
   * Runs `call` on each planned provider until one succeeds. Throws a PublicError (502/504, or the
   * upstream's 4xx for bad input) naming the component when none did.
   */
  run<T>(component: Component, studentId: string, call: AttemptCall<T>, client?: Client): Promise<Routed<T>> {
    return this.execute(component, studentId, call, client, false) as Promise<Routed<T>>;
  }

  /** Like `run`, but the successful attempt is reported by the caller (`pending.finish`) when its stream ends. */
  runStreaming<T>(component: Component, studentId: string, call: AttemptCall<T>, client?: Client): Promise<Routed<T> & { pending: Pending }> {
    return this.execute(component, studentId, call, client, true) as Promise<Routed<T> & { pending: Pending }>;
  }

  private async execute<T>(component: Component, studentId: string, call: AttemptCall<T>, client: Client | undefined, deferLast: boolean): Promise<Routed<T> | (Routed<T> & { pending: Pending })> {
    const { runtime } = this.options;
    const plan = runtime.plan(component);
    const routePlan = planRoute({
      plan,
      state: runtime.state(component),
      studentId,
      isAvailable: this.isAvailable,
      isHealthy: this.isHealthy,
      candidateStandby: this.options.standby?.has(plan.productionProvider) === true,
    });
    const attempts = routePlan.attempts;
    const lastIndex = Math.min(this.maxAttempts, attempts.length) - 1;
    // A fallback is hedged: it starts when the first provider passes its p95, or at once if the first fails;
    // the first keeps the whole deadline (it may still answer first).
    const hedged = lastIndex >= 1;
    const ledger = new Ledger();
    const options: ExecuteOptions = { clock: this.clock, deadlineAt: this.clock.now() + plan.slaMs, maxAttempts: this.maxAttempts };
    let slowAfterMs = 0;
    if (hedged) {
      options.hedgeAfterMs = this.hedgeAfterMs(attempts[0]!, attempts[1]!, plan.slaMs);
      slowAfterMs = attempts[0]!.route === 'mvp' ? options.hedgeAfterMs : hedgeCeilingMs(plan.slaMs, this.latencies.get(attempts[1]!.provider));
      options.timers = systemTimers;
      if (client) options.signal = client;
      // A stream's winner keeps its signal after the route ends: only whole answers give theirs back.
      if (!deferLast) options.controllers = this.signals;
    }
    const outcome: RouteOutcome<T> = await executeRoute<T>(attempts, (provider, ctx) => this.attempt(ledger, provider, ctx, call, client), options);
    const winner = outcome.ok ? outcome.attempts.find((a) => a.ok)! : null;
    let judgeOvertaken = false;
    if (hedged && attempts[0]!.route === 'production') {
      const first = outcome.attempts[0]!;
      this.noteLag(first, slowAfterMs);
      // Overtaken more than STALL_AFTER_OVERTAKEN times in a row with no answer between: the provider has
      // stopped answering (a host cut off), so this overtaken call counts as a timeout, however early its
      // hedge fired; its breaker can open even when the fallback (the browser's speech) always wins.
      if (first.lostRace === 'overtaken') judgeOvertaken = this.latencyOf(first.provider).overtaken() > STALL_AFTER_OVERTAKEN;
    }
    this.report(component, outcome.attempts, deferLast ? winner : null, ledger, judgeOvertaken ? 0 : slowAfterMs);
    if (!outcome.ok) {
      const last = outcome.attempts.at(-1);
      throw Object.assign(routeError(component, outcome, ledger.clientError), { timing: { upstreamMs: ledger.upstreamMs, provider: last?.provider, route: last?.route } });
    }
    const { provider, route } = outcome;
    this.latencyOf(provider).observe(winner!.latencyMs);
    const mvpAttempt = outcome.attempts[0]!;
    // The MVP failed (not merely overtaken at its tail) and the candidate served: an MVP outage.
    if (route === 'fallback' && provider === plan.productionProvider && mvpAttempt.lostRace === undefined) this.noteCandidateFallback(component, attempts[0]!, mvpAttempt);
    if (!deferLast) return { value: outcome.value, component, provider, route, upstreamMs: ledger.upstreamMs };
    const served = winner!;
    const pending: Pending = {
      finish: (ok, failure, usage) => this.record(component, provider, route, served.startedAt, Math.max(0, this.clock.now() - served.startedAt), ok, failure, usage ?? ledger.costs[served.attemptIndex]),
    };
    return { value: outcome.value, component, provider, route, upstreamMs: ledger.upstreamMs, pending };
  }

  /** A hedged first attempt judged slow (overtaken past `slowAfterMs`) or timed out: its provider lags, the next hedges start early. */
  private noteLag(first: AttemptRecord, slowAfterMs: number): void {
    const slow = first.lostRace === 'overtaken' ? first.latencyMs >= slowAfterMs : first.lostRace === undefined && first.failure?.kind === 'timeout';
    if (slow) this.latencyOf(first.provider).lag();
  }

  /** The MVP failed and the candidate served: the runtime keeps the audit event and the alert (once per outage). */
  private noteCandidateFallback(component: Component, mvp: PlannedAttempt, failed: AttemptRecord): void {
    const failure = failed.failure ? attemptFailureOf(failed.failure) : undefined;
    this.options.runtime.candidateServedAsFallback?.({ at: failed.startedAt, component, mvpProvider: mvp.provider, failure });
  }

  /**
   * One attempt: the call within the time left before the deadline, noted in the request's ledger. A hedged
   * attempt's call gets the route's signal (aborted when another attempt won, or when the client left); an
   * attempt run alone gets the client's.
   */
  private async attempt<T>(ledger: Ledger, provider: ProviderId, ctx: AttemptContext, call: AttemptCall<T>, client: Client | undefined): Promise<AttemptResult<T>> {
    if (client?.aborted) {
      ledger.gone[ctx.attemptIndex] = 'before';
      throw new ClientGoneError();
    }
    ledger.begin();
    let priced: Priced<T>;
    try {
      priced = await call(provider, { route: ctx.route, timeoutMs: ctx.remainingMs, signal: ctx.signal ?? client?.signal });
    } catch (error) {
      if (client?.aborted) {
        ledger.gone[ctx.attemptIndex] = 'during';
        throw new ClientGoneError(error);
      }
      if (error instanceof UpstreamError && error.status >= 400 && error.status < 500) ledger.clientError = error;
      throw error;
    } finally {
      // Sub-millisecond time spent waiting on upstreams (the engine's records are in whole ms).
      ledger.end();
    }
    ledger.costs[ctx.attemptIndex] = priced.usage;
    return { ok: true, value: priced.value };
  }

  /**
   * Reports the attempts to the runtime and the metrics, but `deferred` (a stream's, reported when it ends).
   * One cut short by a client who left, or a hedge cut because the first attempt answered, is only counted.
   * One overtaken by its hedge is a timeout once it had run `slowAfterMs` (the latest the hedge could
   * start: without it, the attempt would have had to be abandoned by then); overtaken sooner, by a fallback
   * that answers at once (the browser's speech), it is only counted: nothing says it was slow.
   */
  private report(component: Component, attempts: readonly AttemptRecord[], deferred: AttemptRecord | null, ledger: Ledger, slowAfterMs: number): void {
    for (const attempt of attempts) {
      if (attempt === deferred) continue;
      const left = ledger.gone[attempt.attemptIndex];
      const unjudged = attempt.lostRace === 'cancelled' || (attempt.lostRace === 'overtaken' && attempt.latencyMs < slowAfterMs);
      if (unjudged) this.options.metrics?.upstreamAttempts.inc({ provider: attempt.provider, component, route: attempt.route, outcome: attempt.lostRace === 'cancelled' ? 'superseded' : 'overtaken' });
      else if (left === 'during') this.options.metrics?.upstreamAttempts.inc({ provider: attempt.provider, component, route: attempt.route, outcome: 'cancelled' });
      else if (left === undefined) this.record(component, attempt.provider, attempt.route, attempt.startedAt, attempt.latencyMs, attempt.ok, attempt.failure, ledger.costs[attempt.attemptIndex], attempt.lostRace === 'overtaken' ? 'overtaken' : undefined);
    }
  }

  private record(component: Component, provider: ProviderId, route: Route, at: number, latencyMs: number, ok: boolean, failure: Failure | undefined, usage: Usage | undefined, lostRace?: 'overtaken'): void {
    let costEur = 0;
    if (ok) {
      try {
        costEur = requestCost(this.options.costModel, provider, usage ?? {});
      } catch {
        costEur = 0; // a provider that did not report the unit it is billed in: counted as free, not a crash
      }
    }
    const attemptFailure = failure ? attemptFailureOf(failure) : undefined;
    this.options.runtime.recordAttempt({
      at,
      component,
      provider,
      route,
      latencyMs,
      ok,
      ...(attemptFailure ? { failure: attemptFailure } : {}),
      ...(failure?.status !== undefined ? { status: failure.status } : {}),
      costEur,
    });
    const outcome = ok ? 'ok' : (lostRace ?? failure?.kind ?? 'unknown');
    this.options.metrics?.upstreamLatency.observe({ provider, component, route, outcome }, latencyMs / 1000);
    this.options.metrics?.upstreamAttempts.inc({ provider, component, route, outcome });
    if (costEur > 0) this.options.metrics?.costEur.inc({ provider, component }, costEur);
  }
}

/** The field an upstream's 400 names (`{error:{field}}` of the images, `{error:{param}}` of OpenAI's). */
function upstreamField(error: UpstreamError | null): string | undefined {
  const detail = (error?.body as { error?: { field?: unknown; param?: unknown } } | undefined)?.error;
  const field = detail?.field ?? detail?.param;
  return typeof field === 'string' && field !== '' ? field : undefined;
}

function routeError(component: Component, outcome: Extract<RouteOutcome<unknown>, { ok: false }>, clientError: UpstreamError | null): PublicError {
  const tried = attemptsText(outcome.attempts);
  if (outcome.code === 'client_error') {
    const field = upstreamField(clientError);
    if (outcome.httpStatus === 413) return new PublicError('payload_too_large', `${outcome.provider} refused the body as too large`, { component });
    if (outcome.httpStatus === 415) return new PublicError('unsupported_media_type', `${outcome.provider} refused the media type: ${outcome.failure.message}`, { component });
    if (outcome.httpStatus === 400 || outcome.httpStatus === 422) return new PublicError('invalid_request', field ? `${field}: ${outcome.failure.message}` : outcome.failure.message, { component, ...(field ? { field } : {}) });
    return new PublicError('upstream_failed', `every provider of ${component} failed (${tried})`, { component });
  }
  if (outcome.code === 'timeout') return new PublicError('upstream_timeout', `no provider of ${component} answered within the deadline (${tried})`, { component });
  return new PublicError('upstream_failed', `every provider of ${component} failed (${tried})`, { component });
}
