// The X-Bascule-* headers of every routed response (success or failure).
import { BASCULE_HEADERS } from '@bascule/contracts';
import type { Component, ProviderId, Route } from '@bascule/routing';
import type { FastifyReply } from 'fastify';

export interface RoutedTiming {
  component: Component;
  provider?: ProviderId;
  route?: Route;
  /** performance.now() when the request arrived. */
  startedAt: number;
  upstreamMs: number;
}

export function routedHeaders(t: RoutedTiming): Record<string, string> {
  const totalMs = performance.now() - t.startedAt;
  const headers: Record<string, string> = {
    [BASCULE_HEADERS.component]: t.component,
    [BASCULE_HEADERS.latencyMs]: totalMs.toFixed(1),
    [BASCULE_HEADERS.overheadMs]: Math.max(0, totalMs - t.upstreamMs).toFixed(1),
  };
  if (t.provider) headers[BASCULE_HEADERS.provider] = t.provider;
  if (t.route) headers[BASCULE_HEADERS.route] = t.route;
  return headers;
}

export function setRoutedHeaders(reply: FastifyReply, t: RoutedTiming): void {
  reply.headers(routedHeaders(t));
}
