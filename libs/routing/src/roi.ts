// Return on the migration: what a year of savings gives once the one-time cost is paid, and what the monthly
// saving becomes as the school grows. Every figure keeps the arithmetic that produced it, so a page or a
// report can show how it was reached rather than a bare number.
import { breakEvenMonths, savingsVsMvp } from './cost.ts';

export interface YearOfReturn {
  /** 1 for the first year after the switch. */
  year: number;
  /** Savings of the year (12 months), minus the one-time cost in the first year. */
  netEur: number;
  /** Net since the switch, at the end of this year. */
  cumulativeEur: number;
  /** e.g. "12 × 120 € − 3 600 € = −2 160 €". */
  arithmetic: string;
}

/** Whole number with a space between thousands, as the plan writes it (no locale data needed). */
const grouped = (value: number) => String(Math.abs(Math.round(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const eur = (value: number) => `${Math.round(value) < 0 ? '−' : ''}${grouped(value)} €`;

/** Year-by-year return over `years` years: the plan's −2 160 € / +1 440 € and +720 € after three years. */
export function yearlyReturn(monthlySavingsEur: number, oneTimeEur: number, years = 3): YearOfReturn[] {
  if (!Number.isFinite(monthlySavingsEur)) throw new RangeError(`monthlySavingsEur: expected a number, got ${monthlySavingsEur}`);
  if (!Number.isFinite(oneTimeEur) || oneTimeEur < 0) throw new RangeError(`oneTimeEur: expected a number >= 0, got ${oneTimeEur}`);
  const out: YearOfReturn[] = [];
  let cumulative = 0;
  for (let year = 1; year <= years; year++) {
    const saved = 12 * monthlySavingsEur;
    const net = year === 1 ? saved - oneTimeEur : saved;
    cumulative += net;
    const arithmetic = year === 1 ? `12 × ${eur(monthlySavingsEur)} − ${eur(oneTimeEur)} = ${eur(net)}` : `12 × ${eur(monthlySavingsEur)} = ${eur(net)}`;
    out.push({ year, netEur: net, cumulativeEur: cumulative, arithmetic });
  }
  return out;
}

/** A school size and what production costs at that size (the hosts and tokens it needs: a sizing, not a formula). */
export interface ScaleInput {
  students: number;
  productionMonthlyEur: number;
}

export interface ScaleProjection {
  students: number;
  /** MVP bills scale with use: the base month times students / base students. */
  mvpMonthlyEur: number;
  productionMonthlyEur: number;
  savedMonthlyEur: number;
  /** Fraction of the MVP's cost saved. */
  ratio: number;
  /** e.g. "280 € × 10 000 / 1 000 = 2 800 €; 2 800 € − 2 000 € = 800 €". */
  arithmetic: string;
}

/** The monthly saving at another school size, the MVP's pay-per-use bills scaled linearly from the base month. */
export function projectAtScale(base: { students: number; mvpMonthlyEur: number }, at: ScaleInput): ScaleProjection {
  if (!(base.students > 0)) throw new RangeError(`base.students: expected a number > 0, got ${base.students}`);
  if (!(at.students > 0)) throw new RangeError(`students: expected a number > 0, got ${at.students}`);
  if (!(at.productionMonthlyEur >= 0)) throw new RangeError(`productionMonthlyEur: expected a number >= 0, got ${at.productionMonthlyEur}`);
  const mvp = (base.mvpMonthlyEur * at.students) / base.students;
  const savings = savingsVsMvp(mvp, at.productionMonthlyEur);
  return {
    students: at.students,
    mvpMonthlyEur: mvp,
    productionMonthlyEur: at.productionMonthlyEur,
    savedMonthlyEur: savings.monthlyEur,
    ratio: savings.ratio,
    arithmetic: `${eur(base.mvpMonthlyEur)} × ${grouped(at.students)} / ${grouped(base.students)} = ${eur(mvp)}; ${eur(mvp)} − ${eur(at.productionMonthlyEur)} = ${eur(savings.monthlyEur)}`,
  };
}

export interface CostSummary {
  mvpMonthlyEur: number;
  productionMonthlyEur: number;
  oneTimeEur: number;
  savedMonthlyEur: number;
  /** Fraction of the MVP's cost saved. */
  ratio: number;
  /** Null when nothing is saved (never repaid). */
  breakEvenMonths: number | null;
  years: YearOfReturn[];
}

/** The whole return picture of a baseline, a production month and a one-time cost. */
export function summarizeReturn(mvpMonthlyEur: number, productionMonthlyEur: number, oneTimeEur: number): CostSummary {
  const savings = savingsVsMvp(mvpMonthlyEur, productionMonthlyEur);
  const months = breakEvenMonths(oneTimeEur, savings.monthlyEur);
  return {
    mvpMonthlyEur,
    productionMonthlyEur,
    oneTimeEur,
    savedMonthlyEur: savings.monthlyEur,
    ratio: savings.ratio,
    breakEvenMonths: Number.isFinite(months) ? months : null,
    years: yearlyReturn(savings.monthlyEur, oneTimeEur),
  };
}
