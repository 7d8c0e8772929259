// The router: which provider serves a student's request, what to fall back to, and the fallback loop
// itself, bounded by one deadline (the component's SLA).
import { isInProductionCohort } from './cohort.ts';
import { classifyFailure, type Failure } from './failure.ts';
import type { RolloutPlan, RolloutState } from './plan.ts';
import type { Clock, ProviderId, Route } from './types.ts';

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
}

/**
 * Production cohort, production available: [production (`production`), MVP (`fallback`)].
 * Production cohort, production unavailable (breaker open): [MVP (`fallback`)], no added latency.
 * MVP cohort (or weight 0, or rollback): [MVP (`mvp`)]. The MVP provider is the last resort and always tried.
 */
export function planRoute({ plan, state, studentId, isAvailable }: PlanRouteInput): RoutePlan {
  const inProduction = state.weight > 0 && state.status !== 'rollback' && isInProductionCohort(plan.component, studentId, state.weight);
  if (!inProduction) return { cohort: 'mvp', attempts: [{ provider: plan.mvpProvider, route: 'mvp' }] };
  const fallback: PlannedAttempt = { provider: plan.mvpProvider, route: 'fallback' };
  if (!isAvailable(plan.productionProvider)) return { cohort: 'production', attempts: [fallback] };
  return { cohort: 'production', attempts: [{ provider: plan.productionProvider, route: 'production' }, fallback] };
}

export interface AttemptContext {
  route: Route;
  /** Time left before the request's deadline; the adapter must time its call out within it. */
  remainingMs: number;
  attemptIndex: number;
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
}

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

function failed<T>(code: 'timeout' | 'upstream_failed' | 'client_error', failure: Failure, at: PlannedAttempt | null, attempts: AttemptRecord[]): RouteOutcome<T> {
  const httpStatus = code === 'timeout' ? 504 : code === 'client_error' && failure.status !== undefined && PASS_THROUGH.has(failure.status) ? failure.status : 502;
  return { ok: false, httpStatus, code, failure, provider: at?.provider ?? null, route: at?.route ?? null, attempts };
}
