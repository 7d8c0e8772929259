// What every public route shares: the deps, the executor, and the bookkeeping of a routed request
// (X-Bascule-* headers, request and overhead metrics).
import type { GatewayConfig } from '@bascule/contracts';
import type { Clock, Component, CostModel, ProviderId, Route } from '@bascule/routing';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicError } from '../http/errors.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import { routedHeaders, type Executor } from '../proxy/index.ts';
import type { ShadowRunner } from '../shadow/index.ts';

export interface RouteContext {
  config: GatewayConfig;
  executor: Executor;
  metrics: GatewayMetrics | null;
  hashStudentId(id: string): string;
  /** Counts the student (by hash) as active on the component; a no-op when the runtime does not count. */
  noteStudent(component: Component, studentHash: string): void;
  /** Counts a request of the student (by hash) for the client; throws a 429 past the per-student limit. */
  limitStudent(clientName: string | null, studentHash: string): void;
  /** The shadow comparison (decision 0015); null when this gateway runs none. */
  shadow: ShadowRunner | null;
}

/** Per request: when it arrived and, once routed, where it went (read by the onResponse hook). */
export interface RequestTrace {
  startedAt: number;
  component?: Component;
  route?: Route;
  upstreamMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the public API's onRequest hook (a request decoration: Fastify keeps the object's shape stable). */
    trace: RequestTrace | null;
  }
}

export function startTrace(request: FastifyRequest): void {
  request.trace = { startedAt: performance.now(), upstreamMs: 0 };
}

export function traceOf(request: FastifyRequest): RequestTrace {
  request.trace ??= { startedAt: performance.now(), upstreamMs: 0 };
  return request.trace;
}

/**
 * Names the student in the request's log lines by keyed hash (never the raw id), applies the per-student
 * rate limit (keyed by the same hash: no raw id in the counters) and counts them active.
 */
export function identifyStudent(request: FastifyRequest, ctx: RouteContext, component: Component, studentId: string): void {
  const hash = ctx.hashStudentId(studentId);
  request.log = request.log.child({ student: hash });
  ctx.limitStudent(request.clientName, hash);
  ctx.noteStudent(component, hash);
}

/** 404 when this gateway does not serve the component (left out of the config). */
export function requireComponent(config: GatewayConfig, component: Component): void {
  if (!config.components[component]) throw new PublicError('not_found', `component ${component} is not served by this gateway`, { component });
}

/** Sets the X-Bascule-* headers of a routed answer and remembers the route for the metrics. */
export function markRouted(request: FastifyRequest, reply: FastifyReply, component: Component, provider: ProviderId | undefined, route: Route | undefined, upstreamMs: number): Record<string, string> {
  const trace = traceOf(request);
  trace.component = component;
  if (route) trace.route = route;
  trace.upstreamMs = upstreamMs;
  const headers = routedHeaders({ component, ...(provider ? { provider } : {}), ...(route ? { route } : {}), startedAt: trace.startedAt, upstreamMs });
  reply.headers(headers);
  return headers;
}

/** Runs a routed handler; on a routed failure the error still carries the X-Bascule-* headers. */
export async function routed<T>(request: FastifyRequest, reply: FastifyReply, component: Component, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PublicError && error.timing) markRouted(request, reply, component, error.timing.provider, error.timing.route, error.timing.upstreamMs);
    else if (error instanceof PublicError && error.extra.component) markRouted(request, reply, component, undefined, undefined, 0);
    throw error;
  }
}

export type { CostModel, Clock };
