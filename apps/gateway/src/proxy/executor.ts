// The request executor: plans a student's route (planRoute), runs the attempts within the component's
// deadline (executeRoute: fallback on transient failures only, never after a stream committed bytes, at
// most `maxAttempts`), reports every attempt to the runtime and the metrics, and measures how long the
// request waited on upstreams, so the gateway's own overhead can be reported.
import { executeRoute, planRoute, requestCost, type AttemptContext, type AttemptRecord, type AttemptResult, type Clock, type Component, type CostModel, type Failure, type ProviderId, type Route, type RouteOutcome, type Usage } from '@bascule/routing';
import { UpstreamError, type Adapter, type CallContext, type Priced } from '../adapters/index.ts';
import { PublicError } from '../http/errors.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import type { AttemptFailure, MigrationRuntime } from '../migration/runtime.ts';
import { attemptsText } from './failure-text.ts';

export interface ExecutorOptions {
  runtime: MigrationRuntime;
  adapters: ReadonlyMap<ProviderId, Adapter>;
  costModel: CostModel;
  metrics: GatewayMetrics | null;
  clock?: Clock;
  /** Attempts per request at most (no retry storms): default 2, production then MVP. */
  maxAttempts?: number;
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
 * Share of the remaining deadline an attempt may use when another one follows it: a production provider
 * that hangs must leave the MVP fallback enough time to answer within the same deadline.
 */
export const FIRST_ATTEMPT_SHARE = 0.6;

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

function budgetMs(remainingMs: number, fallbackFollows: boolean): number {
  return fallbackFollows ? Math.max(1, Math.floor(remainingMs * FIRST_ATTEMPT_SHARE)) : remainingMs;
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

/** What one upstream call of an attempt gets: the route, its timeout (its share of the deadline) and the client's signal. */
export type AttemptCall<T> = (provider: ProviderId, ctx: CallContext & { route: Route }) => Promise<Priced<T>>;

/** One request's notes across its attempts, by attempt index. */
class Ledger {
  /** Usage of each successful attempt. */
  readonly costs: (Usage | undefined)[] = [];
  /** Attempts cut short because the client left: 'during' the upstream call, or 'before' it was made (no upstream was called, so there is no attempt to count). */
  readonly gone: ('before' | 'during')[] = [];
  /** The upstream's 4xx, whose body may name the field at fault. */
  clientError: UpstreamError | null = null;
  /** Milliseconds spent waiting on upstreams, all attempts together. */
  upstreamMs = 0;
}

export class Executor {
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  /** The breaker gauge's last value per provider: the gauge is written when it changes, not per request. */
  private readonly breakerGauge = new Map<ProviderId, number>();

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

  adapterFor<A extends Adapter>(provider: ProviderId, kind: A['kind']): A {
    const adapter = this.options.adapters.get(provider);
    if (!adapter || adapter.kind !== kind) throw new PublicError('internal_error', `provider ${provider} has no ${kind} adapter configured`);
    return adapter as A;
  }

  /**
   * Runs `call` on each planned provider until one succeeds. Throws a PublicError (502/504, or the
   * upstream's 4xx for bad input) naming the component when none did.
   */
  run<T>(component: Component, studentId: string, call: AttemptCall<T>, signal?: AbortSignal): Promise<Routed<T>> {
    return this.execute(component, studentId, call, signal, false) as Promise<Routed<T>>;
  }

  /** Like `run`, but the successful attempt is reported by the caller (`pending.finish`) when its stream ends. */
  runStreaming<T>(component: Component, studentId: string, call: AttemptCall<T>, signal?: AbortSignal): Promise<Routed<T> & { pending: Pending }> {
    return this.execute(component, studentId, call, signal, true) as Promise<Routed<T> & { pending: Pending }>;
  }

  private async execute<T>(component: Component, studentId: string, call: AttemptCall<T>, signal: AbortSignal | undefined, deferLast: boolean): Promise<Routed<T> | (Routed<T> & { pending: Pending })> {
    const { runtime } = this.options;
    const plan = runtime.plan(component);
    const routePlan = planRoute({ plan, state: runtime.state(component), studentId, isAvailable: this.isAvailable });
    const lastIndex = Math.min(this.maxAttempts, routePlan.attempts.length) - 1;
    const ledger = new Ledger();
    const outcome: RouteOutcome<T> = await executeRoute<T>(
      routePlan.attempts,
      (provider, ctx) => this.attempt(ledger, provider, ctx, ctx.attemptIndex < lastIndex, call, signal),
      { clock: this.clock, deadlineAt: this.clock.now() + plan.slaMs, maxAttempts: this.maxAttempts },
    );
    this.report(component, deferLast && outcome.ok ? outcome.attempts.slice(0, -1) : outcome.attempts, ledger);
    if (!outcome.ok) {
      const last = outcome.attempts.at(-1);
      throw Object.assign(routeError(component, outcome, ledger.clientError), { timing: { upstreamMs: ledger.upstreamMs, provider: last?.provider, route: last?.route } });
    }
    const { provider, route } = outcome;
    if (!deferLast) return { value: outcome.value, component, provider, route, upstreamMs: ledger.upstreamMs };
    const last = outcome.attempts.at(-1)!;
    const pending: Pending = {
      finish: (ok, failure, usage) => this.record(component, provider, route, last.startedAt, Math.max(0, this.clock.now() - last.startedAt), ok, failure, usage ?? ledger.costs[last.attemptIndex]),
    };
    return { value: outcome.value, component, provider, route, upstreamMs: ledger.upstreamMs, pending };
  }

  /** One attempt: the call within its share of the deadline, noted in the request's ledger. */
  private async attempt<T>(ledger: Ledger, provider: ProviderId, ctx: AttemptContext, fallbackFollows: boolean, call: AttemptCall<T>, signal: AbortSignal | undefined): Promise<AttemptResult<T>> {
    if (signal?.aborted) {
      ledger.gone[ctx.attemptIndex] = 'before';
      throw new ClientGoneError();
    }
    const attemptStart = performance.now();
    let priced: Priced<T>;
    try {
      priced = await call(provider, { route: ctx.route, timeoutMs: budgetMs(ctx.remainingMs, fallbackFollows), signal });
    } catch (error) {
      if (signal?.aborted) {
        ledger.gone[ctx.attemptIndex] = 'during';
        throw new ClientGoneError(error);
      }
      if (error instanceof UpstreamError && error.status >= 400 && error.status < 500) ledger.clientError = error;
      throw error;
    } finally {
      // Sub-millisecond time spent waiting on upstreams (the engine's records are in whole ms).
      ledger.upstreamMs += performance.now() - attemptStart;
    }
    ledger.costs[ctx.attemptIndex] = priced.usage;
    return { ok: true, value: priced.value };
  }

  /** Reports the attempts to the runtime and the metrics; one cut short by a client who left is only counted. */
  private report(component: Component, attempts: readonly AttemptRecord[], ledger: Ledger): void {
    for (const attempt of attempts) {
      const left = ledger.gone[attempt.attemptIndex];
      if (left === 'during') this.options.metrics?.upstreamAttempts.inc({ provider: attempt.provider, component, route: attempt.route, outcome: 'cancelled' });
      else if (left === undefined) this.record(component, attempt.provider, attempt.route, attempt.startedAt, attempt.latencyMs, attempt.ok, attempt.failure, ledger.costs[attempt.attemptIndex]);
    }
  }

  private record(component: Component, provider: ProviderId, route: Route, at: number, latencyMs: number, ok: boolean, failure: Failure | undefined, usage: Usage | undefined): void {
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
    const outcome = ok ? 'ok' : (failure?.kind ?? 'unknown');
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
