import { describe, expect, it } from 'vitest';
import { breakEvenMonths, measureCosts, monthlySaving, PLAN, savingRatio } from './costs.ts';
import type { HistoryPoint } from './types.ts';

const point = (t: number, cost: number | null): HistoryPoint => ({ t, provider: 'p', p50Ms: null, p95Ms: null, errorRate: null, requests: 1, cost });

describe('plan cost model', () => {
  it('reproduces the plan: 120 €/month saved (43 %), break-even in 30 months', () => {
    expect(monthlySaving(PLAN)).toBe(120);
    expect(savingRatio(PLAN)).toBeCloseTo(0.4286, 3);
    expect(breakEvenMonths(PLAN)).toBe(30);
  });

  it('never breaks even when production costs as much as the MVP', () => {
    expect(breakEvenMonths({ mvpMonthly: 100, productionMonthly: 100, oneTime: 10 })).toBeNull();
  });
});

describe('measureCosts', () => {
  const now = new Date(Date.UTC(2026, 10, 11)); // 11 Nov: 10 days into a 30-day month
  const day = 86_400_000;

  it('sums this month only and projects the covered span to the whole month', () => {
    const start = Date.UTC(2026, 10, 1);
    const rollups = {
      stt: [point(start - day, 99), point(start, 4), point(start + 5 * day, 6)],
      llm: [point(start + day, 5), point(start + 2 * day, null)],
    };
    const measured = measureCosts(rollups, now);
    expect(measured.monthToDate).toBe(15);
    expect(measured.projectedMonth).toBeCloseTo(45, 6);
    expect(measured.byComponent.stt).toBeCloseTo(30, 6);
    expect(measured.byComponent.llm).toBeCloseTo(15, 6);
    expect(measured.coveredMs).toBe(10 * day);
  });

  it('has no projection without data', () => {
    expect(measureCosts({}, now).projectedMonth).toBeNull();
  });
});
