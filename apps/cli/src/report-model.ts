// The month's report from what the admin API answers: costs measured and projected against the baseline and the
// plan (priced by the gateway's config, and as the plan publishes it), the yearly return and the saving at scale,
// each migration's state and GO/NO-GO, and the month's audit events. Pure: the command fetches, this composes.
import type { AuditEvent, ComponentSummary, CostPlan, CostsResponse, CriteriaResponse } from '@bascule/contracts';

/** Below an hour of traffic a linear projection of the month means nothing. */
export const MIN_PROJECTION_MS = 3_600_000;

export interface ReportInput {
  month: string;
  costs: CostsResponse;
  components: readonly ComponentSummary[];
  criteria: readonly CriteriaResponse[];
  /** Audit events, newest first (any month: the report keeps the month's). */
  events: readonly AuditEvent[];
}

export interface MonthReport {
  month: string;
  at: string;
  measured: {
    costEur: number;
    requests: number;
    /** The whole month's cost: the month so far scaled to its length (null under an hour of traffic); the total once it is over. */
    projectedEur: number | null;
    /** projected / baseline (0.66 = 66 % of the baseline's cost). */
    versusBaseline: number | null;
    /** What the projected month saves against the baseline, and the break-even it gives with the one-time cost. */
    savedEur: number | null;
    breakEvenMonths: number | null;
    byComponent: Array<{ component: string; requests: number; costEur: number }>;
  };
  plan: CostPlan | null;
  migrations: Array<{ component: string; status: string; weight: number; step: string; verdict: string; failing: string[]; alerts: string[] }>;
  history: Array<{ at: string; component: string; actor: string; action: string; from: number; to: number; reason: string }>;
}

function monthEnd(monthStartMs: number): number {
  const d = new Date(monthStartMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function projectMonth(costs: Pick<CostsResponse, 'monthStart' | 'at' | 'since' | 'costEur'>): number | null {
  const start = Date.parse(costs.monthStart);
  const end = monthEnd(start);
  const at = Date.parse(costs.at);
  if (at >= end) return costs.costEur; // a past month: what was recorded is the month
  if (costs.since === null) return null;
  const covered = at - Math.max(Date.parse(costs.since), start);
  return covered >= MIN_PROJECTION_MS ? (costs.costEur * (end - start)) / covered : null;
}

export function buildReport(input: ReportInput): MonthReport {
  const plan = input.costs.plan ?? null;
  const projected = projectMonth(input.costs);
  const baseline = plan?.baseline.monthlyEur ?? null;
  const saved = projected !== null && baseline !== null ? baseline - projected : null;
  const criteria = new Map(input.criteria.map((c) => [c.component, c]));
  return {
    month: input.month,
    at: input.costs.at,
    measured: {
      costEur: input.costs.costEur,
      requests: input.costs.requests,
      projectedEur: projected,
      versusBaseline: projected !== null && baseline ? projected / baseline : null,
      savedEur: saved,
      breakEvenMonths: saved !== null && saved > 0 && plan ? plan.oneTimeEur / saved : null,
      byComponent: input.costs.components.map((c) => ({ component: c.component, requests: c.requests, costEur: c.costEur })),
    },
    plan,
    migrations: input.components.map((c) => {
      const crit = criteria.get(c.component);
      return {
        component: c.component,
        status: c.status,
        weight: c.weight,
        step: c.step === null ? '—' : `${c.step + 1}/${c.plan.steps.length}`,
        verdict: crit?.verdict ?? '—',
        failing: crit ? crit.criteria.filter((x) => x.verdict === 'FAIL').map((x) => x.label) : [],
        alerts: c.alerts.map((a) => `${a.severity}: ${a.message}`),
      };
    }),
    history: input.events
      .filter((e) => e.at.startsWith(input.month))
      .map((e) => ({ at: e.at, component: e.component, actor: e.actor, action: e.action, from: e.from.weight, to: e.to.weight, reason: e.reason }))
      .reverse(),
  };
}
