// The plan's money from a gateway config: the plan's month of traffic priced with the config's cost model,
// on the MVP providers (the baseline) and on the production ones; the one-time cost from the config (which
// the stack's `vpsOneTimeCostEur` generates); the yearly return and the saving at larger schools. The
// plan's own published figures travel with them, so every reader can put the two side by side.
import { COMPONENTS, projectAtScale, projectMonthlyCost, summarizeReturn, type Component, type CostModel, type MonthlyVolume, type ProviderId, type ScaleInput, type Usage } from '@bascule/routing';
import { z } from 'zod';

/**
 * A month of the reading app at 1 000 students, as the plan counts it: 200 000 exercises billed by Hugging
 * Face past its 1 000 free requests (100 M tokens in all), 400 000 words read aloud at 3 s each, 500 000
 * sentences spoken, 30 000 letters written.
 */
export const PLAN_MONTH: Readonly<Record<Component, { requests: number; usage: Usage }>> = {
  llm: { requests: 201_000, usage: { tokens: 100_000_000 } },
  stt: { requests: 400_000, usage: { audioSeconds: 1_200_000 } },
  tts: { requests: 500_000, usage: { characters: 20_000_000 } },
  vision: { requests: 30_000, usage: { images: 30_000 } },
};

/** The school the plan's month describes. */
export const PLAN_STUDENTS = 1_000;

/**
 * Production's monthly cost at each school size the plan projects: 1 000 students on one GPU VPS and Groq
 * (160 €); the larger sizes are the plan's sizing of hosts and tokens there, which it does not derive.
 */
export const PLAN_SCALE: readonly ScaleInput[] = [
  { students: 1_000, productionMonthlyEur: 160 },
  { students: 10_000, productionMonthlyEur: 2_000 },
  { students: 50_000, productionMonthlyEur: 10_800 },
];

/** The figures the plan publishes, to show beside the ones computed from the config. */
export const PLAN_FIGURES = {
  baselineMonthlyEur: 280,
  productionMonthlyEur: 160,
  oneTimeEur: 3_600,
  savedMonthlyEur: 120,
  breakEvenMonths: 30,
  /** Year 1, year 2, and the total after three years. */
  yearly: { year1Eur: -2_160, year2Eur: 1_440, afterThreeYearsEur: 720 },
  savedAtScale: [
    { students: 1_000, savedMonthlyEur: 120 },
    { students: 10_000, savedMonthlyEur: 800 },
    { students: 50_000, savedMonthlyEur: 3_200 },
  ],
} as const;

const money = () => z.number();
const line = z.object({ provider: z.string(), eur: money() });

/** The `plan` of `GET /admin/v1/costs`: the plan's month priced by this gateway's config. */
export const CostPlanSchema = z.object({
  students: z.number().int().min(1),
  baseline: z.object({ monthlyEur: money(), byProvider: z.array(line) }),
  production: z.object({ monthlyEur: money(), variableEur: money(), fixedEur: money(), byProvider: z.array(line) }),
  oneTimeEur: money(),
  savedMonthlyEur: money(),
  ratio: z.number(),
  breakEvenMonths: z.number().nullable(),
  years: z.array(z.object({ year: z.number().int(), netEur: money(), cumulativeEur: money(), arithmetic: z.string() })),
  scale: z.array(z.object({ students: z.number(), mvpMonthlyEur: money(), productionMonthlyEur: money(), savedMonthlyEur: money(), ratio: z.number(), arithmetic: z.string() })),
  published: z.object({
    baselineMonthlyEur: money(),
    productionMonthlyEur: money(),
    oneTimeEur: money(),
    savedMonthlyEur: money(),
    breakEvenMonths: z.number(),
    yearly: z.object({ year1Eur: money(), year2Eur: money(), afterThreeYearsEur: money() }),
    savedAtScale: z.array(z.object({ students: z.number(), savedMonthlyEur: money() })),
  }),
});
export type CostPlan = z.infer<typeof CostPlanSchema>;

export interface ProviderPair {
  component: Component;
  mvp: ProviderId;
  production: ProviderId;
}

const lines = (byProvider: Partial<Record<ProviderId, number>>) => Object.entries(byProvider).map(([provider, eur]) => ({ provider, eur: eur ?? 0 }));

/** Prices the plan's month on each component's MVP and production providers with `model`. */
export function costPlan(model: CostModel, pairs: readonly ProviderPair[]): CostPlan {
  const volumes = (role: 'mvp' | 'production'): MonthlyVolume[] => pairs.map((p) => ({ provider: p[role], ...PLAN_MONTH[p.component] }));
  const baseline = projectMonthlyCost(model, volumes('mvp'));
  const production = projectMonthlyCost(model, volumes('production'));
  const summary = summarizeReturn(baseline.totalEur, production.totalEur, model.vps.oneTimeCostEur);
  // The first size is this school: its production is what the config prices, not the plan's sizing.
  const scale = PLAN_SCALE.map((s) => projectAtScale({ students: PLAN_STUDENTS, mvpMonthlyEur: baseline.totalEur }, s.students === PLAN_STUDENTS ? { ...s, productionMonthlyEur: production.totalEur } : s));
  return {
    students: PLAN_STUDENTS,
    baseline: { monthlyEur: baseline.totalEur, byProvider: lines(baseline.byProvider) },
    production: { monthlyEur: production.totalEur, variableEur: production.variableEur, fixedEur: production.fixedEur, byProvider: lines(production.byProvider) },
    oneTimeEur: model.vps.oneTimeCostEur,
    savedMonthlyEur: summary.savedMonthlyEur,
    ratio: summary.ratio,
    breakEvenMonths: summary.breakEvenMonths,
    years: summary.years,
    scale,
    published: { ...PLAN_FIGURES, yearly: { ...PLAN_FIGURES.yearly }, savedAtScale: PLAN_FIGURES.savedAtScale.map((s) => ({ ...s })) },
  };
}

/** The component pairs a config serves, in the plan's order. */
export function providerPairs(components: Partial<Record<Component, { mvp: ProviderId; production: ProviderId }>>): ProviderPair[] {
  return COMPONENTS.flatMap((component) => {
    const c = components[component];
    return c ? [{ component, mvp: c.mvp, production: c.production }] : [];
  });
}
