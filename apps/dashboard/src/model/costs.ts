// The plan's cost model (through the migration engine's cost functions), and the measured costs beside it.
// The gateway sends the plan priced by its own config (one-time cost from the stack); PLAN is the fallback.
import type { CostPlan } from '@bascule/contracts';
import { breakEvenMonths as engineBreakEven, savingsVsMvp } from '@bascule/routing';

export interface PlanFigures {
  mvpMonthly: number;
  productionMonthly: number;
  oneTime: number;
}

/** The plan's figures: MVP 280 €/month, production 160 €/month, 3 600 € one-time (a gateway that sends no plan). */
export const PLAN: PlanFigures = { mvpMonthly: 280, productionMonthly: 160, oneTime: 3600 };

/** The figures the page shows: the gateway's plan (priced by its config) when it sends one, else PLAN. */
export function planFigures(plan: CostPlan | undefined): PlanFigures {
  return plan ? { mvpMonthly: plan.baseline.monthlyEur, productionMonthly: plan.production.monthlyEur, oneTime: plan.oneTimeEur } : PLAN;
}

/** The gateway's `plan`, when it has the figures the page reads (an older gateway sends none). */
export function readCostPlan(raw: unknown): CostPlan | undefined {
  const p = raw as Partial<CostPlan> | null;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const ok = p !== null && typeof p === 'object' && num(p.baseline?.monthlyEur) && num(p.production?.monthlyEur) && num(p.oneTimeEur) && Array.isArray(p.years) && Array.isArray(p.scale) && typeof p.published === 'object';
  return ok ? (p as CostPlan) : undefined;
}

/** A month's cost as a share of the all-MVP baseline (0.66: 66 % of it, 34 % saved); null without both. */
export function versusBaseline(monthEur: number | null, baselineEur: number): number | null {
  return monthEur === null || baselineEur <= 0 ? null : monthEur / baselineEur;
}

/** Break-even of the one-time cost at the measured month's saving against the baseline; null if it saves nothing. */
export function measuredBreakEven(monthEur: number | null, plan: PlanFigures): number | null {
  if (monthEur === null) return null;
  return breakEvenMonths({ ...plan, productionMonthly: monthEur });
}

export function monthlySaving(plan: PlanFigures): number {
  return savingsVsMvp(plan.mvpMonthly, plan.productionMonthly).monthlyEur;
}

/** Months until the one-time cost is paid back by the monthly saving (30 for the plan); null if never. */
export function breakEvenMonths(plan: PlanFigures): number | null {
  const months = engineBreakEven(plan.oneTime, monthlySaving(plan));
  return Number.isFinite(months) ? months : null;
}

export function savingRatio(plan: PlanFigures): number {
  return savingsVsMvp(plan.mvpMonthly, plan.productionMonthly).ratio;
}

/** `GET /admin/v1/costs` as the page reads it (times in ms since epoch). */
export interface MonthCostsView {
  month: string;
  monthStart: number;
  /** The gateway's clock when it answered. */
  at: number;
  /** First minute with a request this month; null without any. */
  since: number | null;
  costEur: number;
  requests: number;
  byComponent: Record<string, { costEur: number; requests: number }>;
  /** The plan priced by the gateway's config: baseline, production, one-time cost, return, scale. */
  plan?: CostPlan;
}

export interface MeasuredCosts {
  /** Cost recorded since the first day of the month (UTC). */
  monthToDate: number;
  /** Month-to-date extrapolated linearly to the whole month; null until an hour of the month is covered. */
  projectedMonth: number | null;
  /** Same extrapolation, per component (empty while there is no projection). */
  projectedByComponent: Record<string, number>;
  /** How much of the month the projection is based on (ms): a short span makes a rough projection. */
  coveredMs: number;
}

/** Below an hour of traffic, a linear projection multiplies a few minutes by a thousand: show none. */
export const MIN_PROJECTION_SPAN_MS = 3_600_000;

function daysInMonth(monthStart: number): number {
  const d = new Date(monthStart);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/**
 * Month-to-date and projection from the gateway's monthly totals. The projection scales the cost seen
 * over the covered span (first request of the month → now) to the whole month, so a gateway started
 * mid-month is not read as a cheap month.
 */
export function measureCosts(costs: MonthCostsView): MeasuredCosts {
  const monthMs = daysInMonth(costs.monthStart) * 86_400_000;
  const span = costs.since === null ? 0 : costs.at - Math.max(costs.since, costs.monthStart);
  const scale = span >= MIN_PROJECTION_SPAN_MS ? monthMs / span : null;
  const projectedByComponent: Record<string, number> = {};
  if (scale !== null) for (const [component, line] of Object.entries(costs.byComponent)) projectedByComponent[component] = line.costEur * scale;
  return { monthToDate: costs.costEur, projectedMonth: scale === null ? null : costs.costEur * scale, projectedByComponent, coveredMs: Math.max(0, span) };
}
