// The admin API's shapes (libs/contracts) built from the engine's values: ISO times, string ids.
import type { AdminAlert, AdminAuditEvent, ComponentSummary, WindowMetrics } from './view-types.ts';
import type { TrackedAlert, WindowStats } from '@bascule/routing';
import type { StoredAuditEvent } from '../store/index.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function windowMetrics(stats: WindowStats, windowMs: number): WindowMetrics {
  return { windowMs, ...stats };
}

export function alertView(a: TrackedAlert): AdminAlert {
  return {
    id: a.id,
    severity: a.severity,
    metric: a.metric,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    provider: a.provider,
    since: iso(a.since),
    evaluations: a.evaluations,
  };
}

export function eventView(e: StoredAuditEvent): AdminAuditEvent {
  return { id: String(e.id), at: iso(e.at), component: e.component, actor: e.actor, action: e.action, reason: e.reason, from: e.from, to: e.to };
}

export type { ComponentSummary };
