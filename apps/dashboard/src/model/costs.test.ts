import { describe, expect, it } from 'vitest';
import { costPlan, PLAN_PRICES, PLAN_VPS } from '@bascule/contracts';
import { breakEvenMonths, measureCosts, measuredBreakEven, monthlySaving, PLAN, planFigures, savingRatio, versusBaseline, type MonthCostsView } from './costs.ts';
import { normalizeCosts } from './normalize.ts';

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
  const day = 86_400_000;
  const start = Date.UTC(2026, 10, 1); // November: 30 days
  const month = (patch: Partial<MonthCostsView>): MonthCostsView => ({
    month: '2026-11',
    monthStart: start,
    at: start + 10 * day,
    since: start,
    costEur: 15,
    requests: 300,
    byComponent: { stt: { costEur: 10, requests: 200 }, llm: { costEur: 5, requests: 100 } },
    ...patch,
  });

  it('takes the month to date as recorded and projects it to the whole month', () => {
    const measured = measureCosts(month({}));
    expect(measured.monthToDate).toBe(15);
    expect(measured.projectedMonth).toBeCloseTo(45, 6);
    expect(measured.projectedByComponent.stt).toBeCloseTo(30, 6);
    expect(measured.projectedByComponent.llm).toBeCloseTo(15, 6);
    expect(measured.coveredMs).toBe(10 * day);
  });

  it('projects from the first request, not the first of the month, for a gateway started mid-month', () => {
    const measured = measureCosts(month({ since: start + 5 * day }));
    expect(measured.coveredMs).toBe(5 * day);
    expect(measured.projectedMonth).toBeCloseTo(90, 6);
  });

  it('has no projection before any request', () => {
    expect(measureCosts(month({ since: null, costEur: 0, requests: 0, byComponent: {} })).projectedMonth).toBeNull();
  });

  it('has no projection before an hour of traffic (minutes scaled to a month mislead), and one from the hour on', () => {
    const early = measureCosts(month({ since: start + 10 * day - 59 * 60_000 }));
    expect(early).toMatchObject({ monthToDate: 15, projectedMonth: null, projectedByComponent: {} });
    const hour = measureCosts(month({ since: start + 10 * day - 3_600_000 }));
    expect(hour.projectedMonth).toBeCloseTo(15 * 30 * 24, 6);
  });
});

describe('normalizeCosts', () => {
  it('reads the gateway’s answer', () => {
    const view = normalizeCosts({
      month: '2026-12',
      monthStart: '2026-12-01T00:00:00.000Z',
      at: '2026-12-03T08:00:00.000Z',
      since: '2026-12-01T09:00:00.000Z',
      requests: 4,
      costEur: 0.024,
      components: [{ component: 'stt', requests: 4, costEur: 0.024, providers: [] }],
    });
    expect(view).toEqual({
      month: '2026-12',
      monthStart: Date.UTC(2026, 11, 1),
      at: Date.UTC(2026, 11, 3, 8),
      since: Date.UTC(2026, 11, 1, 9),
      requests: 4,
      costEur: 0.024,
      byComponent: { stt: { costEur: 0.024, requests: 4 } },
    });
    expect(normalizeCosts({ error: { code: 'not_found' } })).toBeNull();
  });
});

describe("the gateway's plan", () => {
  const base = { month: '2026-12', monthStart: '2026-12-01T00:00:00.000Z', at: '2026-12-11T00:00:00.000Z', since: '2026-12-01T00:00:00.000Z', requests: 10, costEur: 60, components: [] };
  const plan = costPlan({ prices: { ...PLAN_PRICES }, vps: { ...PLAN_VPS } }, [
    { component: 'llm', mvp: 'huggingface', production: 'groq' },
    { component: 'stt', mvp: 'openai-whisper', production: 'faster-whisper' },
    { component: 'tts', mvp: 'web-speech', production: 'coqui' },
    { component: 'vision', mvp: 'easyocr', production: 'trocr' },
  ]);

  it("shows the plan priced by the config, the one-time cost from the stack, and the plan's figures from its inputs", () => {
    const view = normalizeCosts({ ...base, plan })!;
    const figures = planFigures(view.plan);
    expect(figures.mvpMonthly).toBeCloseTo(280, 9);
    expect(figures.productionMonthly).toBeCloseTo(160, 9);
    expect(figures.oneTime).toBe(3600);
    expect(breakEvenMonths(figures)).toBeCloseTo(30, 9);
    expect(view.plan!.years.map((y) => Math.round(y.netEur))).toEqual([-2160, 1440, 1440]);
    expect(view.plan!.scale.map((s) => Math.round(s.savedMonthlyEur))).toEqual([120, 800, 3200]);
  });

  it('puts the measured month against the 280 € baseline', () => {
    const view = normalizeCosts({ ...base, plan })!;
    const projected = measureCosts(view).projectedMonth; // 60 € over 10 of 31 days
    expect(projected).toBeCloseTo(186, 6);
    expect(versusBaseline(projected, planFigures(view.plan).mvpMonthly)).toBeCloseTo(186 / 280, 6);
    expect(measuredBreakEven(projected, planFigures(view.plan))).toBeCloseTo(3600 / 94, 6);
    expect(versusBaseline(null, 280)).toBeNull();
  });

  it('falls back to the plan as published when the gateway sends none, or a malformed one', () => {
    expect(normalizeCosts(base)!.plan).toBeUndefined();
    expect(normalizeCosts({ ...base, plan: { baseline: { monthlyEur: 'lots' } } })!.plan).toBeUndefined();
    expect(planFigures(undefined)).toEqual(PLAN);
  });
});
