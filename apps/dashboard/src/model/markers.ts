// The marks drawn on every chart: weight changes (set by hand, promotions, resumes), rollbacks, and faults
// (when a critical alert began), from the audit log and the open alerts.
import type { AlertView, AuditEventView } from './types.ts';

export type MarkerKind = 'weight' | 'rollback' | 'fault';

export interface ChartMarker {
  /** Seconds since the epoch (uPlot's time unit). */
  t: number;
  kind: MarkerKind;
}

export function chartMarkers(events: readonly AuditEventView[], alerts: readonly AlertView[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const e of events) {
    const at = Date.parse(e.at);
    if (Number.isNaN(at)) continue;
    if (e.action === 'rollback') out.push({ t: at / 1000, kind: 'rollback' });
    else if (e.action === 'set-weight' || e.action === 'promote' || e.action === 'resume') out.push({ t: at / 1000, kind: 'weight' });
  }
  for (const a of alerts) {
    const at = a.since === null ? NaN : Date.parse(a.since);
    if (a.severity === 'critical' && !Number.isNaN(at)) out.push({ t: at / 1000, kind: 'fault' });
  }
  return out.sort((a, b) => a.t - b.t);
}
