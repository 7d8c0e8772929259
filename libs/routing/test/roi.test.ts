// The plan's return on the migration, from the plan's inputs: 280 € a month on the MVP, 160 € in production,
// 3 600 € one-time; and the saving at 10 000 and 50 000 students from the plan's production sizing there.
import { describe, expect, it } from 'vitest';
import { projectAtScale, summarizeReturn, yearlyReturn } from '../src/index.ts';

describe('yearly return', () => {
  it("gives the plan's −2 160 € the first year, +1 440 € the second and +720 € after three", () => {
    const years = yearlyReturn(120, 3600);
    expect(years.map((y) => y.netEur)).toEqual([-2160, 1440, 1440]);
    expect(years.map((y) => y.cumulativeEur)).toEqual([-2160, -720, 720]);
    expect(years[0]!.arithmetic).toBe('12 × 120 € − 3 600 € = −2 160 €');
    expect(years[1]!.arithmetic).toBe('12 × 120 € = 1 440 €');
  });

  it('sums up a baseline, a production month and a one-time cost', () => {
    const s = summarizeReturn(280, 160, 3600);
    expect(s).toMatchObject({ savedMonthlyEur: 120, breakEvenMonths: 30 });
    expect(s.ratio).toBeCloseTo(0.4286, 4);
    expect(summarizeReturn(280, 300, 3600).breakEvenMonths).toBeNull();
  });

  it('names a bad input', () => {
    expect(() => yearlyReturn(Number.NaN, 3600)).toThrow(/monthlySavingsEur/);
    expect(() => yearlyReturn(120, -1)).toThrow(/oneTimeEur/);
  });
});

describe('projection at scale', () => {
  const base = { students: 1000, mvpMonthlyEur: 280 };
  it('scales the MVP linearly and shows the arithmetic', () => {
    expect(projectAtScale(base, { students: 1000, productionMonthlyEur: 160 }).savedMonthlyEur).toBe(120);
    const p = projectAtScale(base, { students: 10_000, productionMonthlyEur: 2000 });
    expect(p).toMatchObject({ mvpMonthlyEur: 2800, savedMonthlyEur: 800 });
    expect(p.arithmetic).toBe('280 € × 10 000 / 1 000 = 2 800 €; 2 800 € − 2 000 € = 800 €');
    expect(projectAtScale(base, { students: 50_000, productionMonthlyEur: 10_800 }).savedMonthlyEur).toBe(3200);
  });

  it('refuses a school of no students', () => {
    expect(() => projectAtScale(base, { students: 0, productionMonthlyEur: 1 })).toThrow(/students/);
  });
});
