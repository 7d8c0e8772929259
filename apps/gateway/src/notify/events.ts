// The notifications Bascule sends, built from what the analysis saw: each says what happened, to which
// component and provider, and what a person should do next.
import type { CriterionResult, TrackedAlert } from '@bascule/routing';
import { SELF_HOSTED, type Component, type ProviderId } from '@bascule/routing';
import type { Notification } from './types.ts';

interface Snapshot {
  weight: number;
  status: string;
  step: number | null;
}

export function rollbackNotification(o: { component: Component; provider: ProviderId; reason: string; at: number; from: Snapshot; to: Snapshot; eventId: string }): Notification {
  return {
    kind: 'rollback',
    severity: 'critical',
    title: `${o.component} rolled back to the MVP`,
    message: `Every ${o.component} request goes to the MVP provider again. ${o.reason}\nNext: read the alerts (bascule status), fix ${o.provider}, then \`bascule resume ${o.component} --reason …\`.`,
    at: o.at,
    component: o.component,
    provider: o.provider,
    facts: { weight: `${o.from.weight} % → ${o.to.weight} %` },
    // The generic webhook's rollback fields, as they always were.
    data: { reason: o.reason, from: o.from, to: o.to, eventId: o.eventId },
  };
}

/** A critical alert that fires; an open breaker on a self-hosted provider is the GPU host being away. */
export function alertNotification(alert: TrackedAlert, at: number): Notification {
  const hostDown = alert.metric === 'breaker_open' && SELF_HOSTED.has(alert.provider);
  return {
    kind: hostDown ? 'host-down' : 'critical-alert',
    severity: 'critical',
    title: hostDown ? `GPU host unreachable: ${alert.provider} (${alert.component})` : `${alert.component}: ${alert.message}`,
    message: hostDown
      ? `${alert.provider}'s breaker is open: the students of ${alert.component} are served by the MVP meanwhile. Check the GPU host (bascule preflight), its model service's /health and \`journalctl -u\` its unit.`
      : `${alert.message}. The analysis rolls back on its own if this lasts; \`bascule rollback ${alert.component} --reason …\` does it now.`,
    at,
    component: alert.component,
    provider: alert.provider,
    facts: { metric: alert.metric, ...(alert.value !== null ? { value: String(round(alert.value)) } : {}), ...(alert.threshold !== null ? { threshold: String(alert.threshold) } : {}) },
    key: alert.id,
  };
}

/** A component in migration whose step is judged NO-GO: which criteria failed. */
export function noGoNotification(o: { component: Component; provider: ProviderId; weight: number; failed: readonly CriterionResult[]; at: number }): Notification {
  const lines = o.failed.map((c) => `${c.label}: ${formatMeasured(c)} (target ${c.comparator} ${formatValue(c.target, c.unit)})`);
  return {
    kind: 'no-go',
    severity: 'warning',
    title: `${o.component}: NO-GO at ${o.weight} %`,
    message: `${lines.join('\n')}\nThe step cannot be promoted. Next: \`bascule criteria ${o.component}\`; hold, or roll back.`,
    at: o.at,
    component: o.component,
    provider: o.provider,
    facts: { weight: `${o.weight} %`, failed: o.failed.map((c) => c.id).join(', ') },
    key: `${o.component}:no-go`,
  };
}

/** The production provider's quality (a benchmark, shadow comparisons) falls below its criterion. */
export function qualityNotification(o: { component: Component; provider: ProviderId; criterion: CriterionResult; at: number }): Notification {
  return {
    kind: 'quality-failure',
    severity: 'warning',
    title: `${o.component}: ${o.criterion.label} below target`,
    message: `${o.criterion.label}: ${formatMeasured(o.criterion)} over ${o.criterion.samples} samples (target ${o.criterion.comparator} ${formatValue(o.criterion.target, o.criterion.unit)}). Check the model image and its benchmark before raising the weight.`,
    at: o.at,
    component: o.component,
    provider: o.provider,
    facts: { criterion: o.criterion.id },
    key: `${o.component}:${o.criterion.id}`,
  };
}

/** The users' mean rating of a component (for one provider's students) fell below the plan's 7/10. */
export function satisfactionNotification(alert: TrackedAlert, at: number): Notification {
  return {
    kind: 'satisfaction-low',
    severity: 'warning',
    title: `${alert.component}: user satisfaction below ${alert.threshold ?? 7}/10`,
    message: `${alert.message}. Read the ratings (dashboard, or GET /admin/v1/components/${alert.component}/satisfaction) and the teachers' comments before raising the weight; the satisfaction criterion holds the step meanwhile if the candidate's students rate it so.`,
    at,
    component: alert.component,
    provider: alert.provider,
    facts: { metric: 'satisfaction', ...(alert.value !== null ? { mean: `${alert.value}/10` } : {}) },
    key: alert.id,
  };
}

/** The health check's quality alert (score below `thresholds.qualityWarning`, 0.8 by default) as it fires. */
export function qualityAlertNotification(alert: TrackedAlert, at: number): Notification {
  return {
    kind: 'quality-failure',
    severity: 'warning',
    title: `${alert.component}: ${alert.message}`,
    message: `${alert.message} (benchmarks and shadow agreement). Nothing rolls back on its own for quality: check the model image and \`bascule criteria ${alert.component}\`; roll back if students are served by it.`,
    at,
    component: alert.component,
    provider: alert.provider,
    facts: { metric: alert.metric, ...(alert.value !== null ? { value: String(round(alert.value)) } : {}), ...(alert.threshold !== null ? { threshold: String(alert.threshold) } : {}) },
    key: alert.id,
  };
}

/** A gateway replica stopped heartbeating (coordination/replicas.ts). */
export function replicaDownNotification(o: { replica: string; lastSeen: number; at: number; address?: string | null }): Notification {
  return {
    kind: 'replica-down',
    severity: 'critical',
    title: `gateway replica ${o.replica} is down`,
    message: `Last seen ${new Date(o.lastSeen).toISOString()}. The load balancer's monitor on /readyz takes it out; the others serve. Check its host and \`journalctl -u bascule-gateway\`.`,
    at: o.at,
    facts: { replica: o.replica, ...(o.address ? { address: o.address } : {}) },
    key: `replica:${o.replica}`,
  };
}

/** A replica notified down heartbeats again. */
export function replicaUpNotification(o: { replica: string; downSince: number; at: number; address?: string | null }): Notification {
  return {
    kind: 'replica-up',
    severity: 'warning',
    title: `gateway replica ${o.replica} is back`,
    message: `It heartbeats again after ${Math.round((o.at - o.downSince) / 1000)} s away (notified down at ${new Date(o.downSince).toISOString()}).`,
    at: o.at,
    facts: { replica: o.replica, ...(o.address ? { address: o.address } : {}) },
    key: `replica-up:${o.replica}`,
  };
}

export function testNotification(at: number, by: string): Notification {
  return {
    kind: 'test',
    severity: 'info',
    title: 'test notification',
    message: `A test sent by ${by} with \`bascule notify test\`: this channel receives Bascule's alerts.`,
    at,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function formatValue(v: number, unit: CriterionResult['unit']): string {
  if (unit === 'ratio') return `${round(v * 100)} %`;
  if (unit === 'ms') return `${Math.round(v)} ms`;
  if (unit === 'score') return `${round(v)}/10`;
  return `${round(v)} ${unit === 'eur' ? '€' : ''}`.trim();
}

function formatMeasured(c: CriterionResult): string {
  return c.measured === null ? 'no data' : formatValue(c.measured, c.unit);
}
