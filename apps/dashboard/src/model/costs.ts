// The plan's cost model (through the migration engine's cost functions), and the measured costs beside it.
import { breakEvenMonths as engineBreakEven, savingsVsMvp } from '@bascule/routing';
import type { HistoryPoint } from './types.ts';

export interface CostPlan {
  mvpMonthly: number;
  productionMonthly: number;
  oneTime: number;
}

/** The plan's figures: MVP 280 €/month, production 160 €/month, 3 600 € one-time. */
export const PLAN: CostPlan = { mvpMonthly: 280, productionMonthly: 160, oneTime: 3600 };

export function monthlySaving(plan: CostPlan): number {
  return savingsVsMvp(plan.mvpMonthly, plan.productionMonthly).monthlyEur;
}

/** Months until the one-time cost is paid back by the monthly saving (30 for the plan); null if never. */
export function breakEvenMonths(plan: CostPlan): number | null {
  const months = engineBreakEven(plan.oneTime, monthlySaving(plan));
  return Number.isFinite(months) ? months : null;
}

export function savingRatio(plan: CostPlan): number {
  return savingsVsMvp(plan.mvpMonthly, plan.productionMonthly).ratio;
}

export interface MeasuredCosts {
  /** Cost recorded since the first day of the current month (UTC). */
  monthToDate: number;
  /** Month-to-date extrapolated linearly to the whole month. */
  projectedMonth: number | null;
  /** Same extrapolation, per component. */
  byComponent: Record<string, number>;
  /** How much of the month the projection is based on (ms): a short span makes a rough projection. */
  coveredMs: number;
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/**
 * Month-to-date and projected cost from per-component rollups. The projection scales the cost seen over the
 * covered span (first rollup → now) to a full month, so a fresh install is not read as a cheap month.
 */
export function measureCosts(rollups: Record<string, HistoryPoint[]>, now: Date): MeasuredCosts {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthMs = daysInMonth(now) * 86_400_000;
  let monthToDate = 0;
  let earliest = now.getTime();
  const byComponent: Record<string, number> = {};
  for (const [component, points] of Object.entries(rollups)) {
    let total = 0;
    for (const p of points) {
      if (p.t < monthStart || p.cost === null) continue;
      total += p.cost;
      earliest = Math.min(earliest, p.t);
    }
    monthToDate += total;
    byComponent[component] = total;
  }
  const span = now.getTime() - earliest;
  const scale = span > 0 ? monthMs / span : null;
  if (scale !== null) for (const key of Object.keys(byComponent)) byComponent[key] = (byComponent[key] ?? 0) * scale;
  return { monthToDate, projectedMonth: scale === null ? null : monthToDate * scale, byComponent, coveredMs: Math.max(0, span) };
}
