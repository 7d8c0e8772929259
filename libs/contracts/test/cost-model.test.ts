// The plan's figures from a gateway config as an operator writes it: the external providers' prices in their
// own units and the VPS's costs come from the config; the month's traffic is the plan's. The engine's cost
// model (@bascule/routing) turns them into MVP 280 €/month, production 160 €/month (VPS 80 € + Groq 80 €),
// break-even in 30 months.
import { breakEvenMonths, projectMonthlyCost, requestCost, savingsVsMvp, type MonthlyVolume } from '@bascule/routing';
import { describe, expect, it } from 'vitest';
import { costModelFromConfig, costPlan, defaultLocalConfig, parseGatewayConfig, PLAN_MONTH, PLAN_MONTHLY_REQUESTS, providerPairs, type GatewayConfigInput } from '../src/index.ts';

const plan = (slaMs: number) => ({ version: 1, steps: [{ weight: 10, duration: '48h' }, { weight: 50, duration: '48h' }, { weight: 100, duration: '7d' }], slaMs });
const vps = (port: number) => `http://10.0.0.2:${port}`;

/** The plan's inputs: external prices of the order of the providers' public ones; self-hosted providers left at their default price. */
const configInput: GatewayConfigInput = {
  auth: { clientKeys: [{ name: 'reading-app', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN' },
  components: {
    llm: {
      mvp: 'huggingface',
      production: 'groq',
      plan: plan(3000),
      providers: {
        huggingface: { baseUrl: 'https://router.huggingface.co/v1', apiKeyEnv: 'HF_TOKEN', pricing: { unit: 'request', eurPerUnit: 0.0005, freeRequestsPerMonth: 1000 } },
        groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', pricing: { unit: 'token', eurPerUnit: 0.0000008 } },
      },
    },
    stt: {
      mvp: 'openai-whisper',
      production: 'faster-whisper',
      plan: plan(2000),
      providers: {
        'openai-whisper': { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', pricing: { unit: 'audio_second', eurPerUnit: 0.00015 } },
        'faster-whisper': { baseUrl: vps(8001) },
      },
    },
    tts: {
      mvp: 'web-speech',
      production: 'coqui',
      plan: plan(1500),
      providers: { 'web-speech': {}, coqui: { baseUrl: vps(8002) } },
    },
    vision: {
      mvp: 'easyocr',
      production: 'trocr',
      plan: plan(2000),
      providers: {
        easyocr: { baseUrl: 'http://10.0.0.3:8003', pricing: { unit: 'image', eurPerUnit: 0 } },
        trocr: { baseUrl: vps(8004) },
      },
    },
  },
  vps: { monthlyCostEur: 80, oneTimeCostEur: 3600 },
};

const mvp: MonthlyVolume[] = [
  { provider: 'huggingface', ...PLAN_MONTH.llm },
  { provider: 'openai-whisper', ...PLAN_MONTH.stt },
  { provider: 'web-speech', ...PLAN_MONTH.tts },
  { provider: 'easyocr', ...PLAN_MONTH.vision },
];
const production: MonthlyVolume[] = [
  { provider: 'groq', ...PLAN_MONTH.llm },
  { provider: 'faster-whisper', ...PLAN_MONTH.stt },
  { provider: 'coqui', ...PLAN_MONTH.tts },
  { provider: 'trocr', ...PLAN_MONTH.vision },
];

describe('costModelFromConfig', () => {
  const config = parseGatewayConfig(configInput);
  const model = costModelFromConfig(config);

  it('takes every price in its own unit, and the VPS, from the config', () => {
    expect(model.prices).toEqual({
      huggingface: { unit: 'request', eurPerUnit: 0.0005, freeRequestsPerMonth: 1000 },
      groq: { unit: 'token', eurPerUnit: 0.0000008 },
      'openai-whisper': { unit: 'audio_second', eurPerUnit: 0.00015 },
      'faster-whisper': { unit: 'request', eurPerUnit: 0 },
      'web-speech': { unit: 'request', eurPerUnit: 0 },
      coqui: { unit: 'request', eurPerUnit: 0 },
      easyocr: { unit: 'image', eurPerUnit: 0 },
      trocr: { unit: 'request', eurPerUnit: 0 },
    });
    expect(model.vps).toEqual({ monthlyCostEur: 80, oneTimeCostEur: 3600 });
    expect(model.vpsMonthlyRequests).toBeUndefined();
  });

  it("reproduces the plan's figures: MVP 280 €/month, production 160 €/month, 3 600 € one-time, break-even in 30 months", () => {
    const mvpCost = projectMonthlyCost(model, mvp);
    expect(mvpCost.byProvider.huggingface).toBeCloseTo(100, 9);
    expect(mvpCost.byProvider['openai-whisper']).toBeCloseTo(180, 9);
    expect(mvpCost.byProvider).toMatchObject({ 'web-speech': 0, easyocr: 0 });
    expect(mvpCost.totalEur).toBeCloseTo(280, 9);
    const productionCost = projectMonthlyCost(model, production);
    expect(productionCost.fixedEur).toBe(80);
    expect(productionCost.variableEur).toBeCloseTo(80, 9);
    expect(productionCost.totalEur).toBeCloseTo(160, 9);
    const savings = savingsVsMvp(mvpCost.totalEur, productionCost.totalEur);
    expect(savings.monthlyEur).toBeCloseTo(120, 9);
    expect(savings.ratio).toBeGreaterThanOrEqual(0.4); // the plan's target: costs down 40–60 %
    expect(savings.ratio).toBeLessThanOrEqual(0.6);
    expect(breakEvenMonths(model.vps.oneTimeCostEur, savings.monthlyEur)).toBeCloseTo(30, 9);
  });

  it('prices a request in its unit, and a self-hosted one at its share of the VPS once the volume is known', () => {
    expect(requestCost(model, 'openai-whisper', { audioSeconds: 3 })).toBeCloseTo(0.00045, 12);
    expect(requestCost(model, 'faster-whisper', { audioSeconds: 3 })).toBe(0);
    const shared = costModelFromConfig(config, { vpsMonthlyRequests: 1_130_000 });
    expect(requestCost(shared, 'faster-whisper', { audioSeconds: 3 })).toBeCloseTo(80 / 1_130_000, 12);
  });

  it("charges the VPS share from the config's expected volume, and the plan's volume in the local config", () => {
    const withVolume = parseGatewayConfig({ ...configInput, vps: { monthlyCostEur: 80, expectedMonthlyRequests: 400_000 } });
    expect(requestCost(costModelFromConfig(withVolume), 'faster-whisper')).toBeCloseTo(80 / 400_000, 12);
    expect(requestCost(costModelFromConfig(withVolume), 'openai-whisper', { audioSeconds: 3 })).toBeCloseTo(0.00045, 12);
    const local = defaultLocalConfig({ baseUrlFor: () => 'http://127.0.0.1:1' });
    expect(costModelFromConfig(local).vpsMonthlyRequests).toBe(PLAN_MONTHLY_REQUESTS);
  });

  it('names the field of a bad expected volume', () => {
    expect(() => parseGatewayConfig({ ...configInput, vps: { monthlyCostEur: 80, expectedMonthlyRequests: 0 } })).toThrow(/vps\.expectedMonthlyRequests/);
  });
});

describe('costPlan', () => {
  it("reproduces every figure the plan publishes from the plan's inputs in a config", () => {
    const config = parseGatewayConfig(configInput);
    const p = costPlan(costModelFromConfig(config), providerPairs(config.components));
    expect(p.baseline.monthlyEur).toBeCloseTo(p.published.baselineMonthlyEur, 9);
    expect(p.production.monthlyEur).toBeCloseTo(p.published.productionMonthlyEur, 9);
    expect(p.production.fixedEur).toBe(80); // the VPS once, Groq's tokens beside it
    expect(p.oneTimeEur).toBe(p.published.oneTimeEur);
    expect(p.savedMonthlyEur).toBeCloseTo(p.published.savedMonthlyEur, 9);
    expect(p.breakEvenMonths).toBeCloseTo(p.published.breakEvenMonths, 9);
    expect(p.years[0]!.netEur).toBeCloseTo(p.published.yearly.year1Eur, 6);
    expect(p.years[1]!.netEur).toBeCloseTo(p.published.yearly.year2Eur, 6);
    expect(p.years[2]!.cumulativeEur).toBeCloseTo(p.published.yearly.afterThreeYearsEur, 6);
    expect(p.scale.map((s) => Math.round(s.savedMonthlyEur))).toEqual(p.published.savedAtScale.map((s) => s.savedMonthlyEur));
    expect(p.scale[1]!.arithmetic).toBe('280 € × 10 000 / 1 000 = 2 800 €; 2 800 € − 2 000 € = 800 €');
  });

  it('gives the same figures for the local config (the demo prices the plan)', () => {
    const local = defaultLocalConfig({ baseUrlFor: () => 'http://127.0.0.1:1' });
    const p = costPlan(costModelFromConfig(local), providerPairs(local.components));
    expect(p.baseline.monthlyEur).toBeCloseTo(280, 9);
    expect(p.production.monthlyEur).toBeCloseTo(160, 9);
    expect(p.oneTimeEur).toBe(3600);
  });

  it('names a bad free tier', () => {
    const bad = structuredClone(configInput) as { components: { llm: { providers: { huggingface: { pricing: object } } } } };
    bad.components.llm.providers.huggingface.pricing = { unit: 'request', eurPerUnit: 0.0005, freeRequestsPerMonth: -1 };
    expect(() => parseGatewayConfig(bad)).toThrow(/components\.llm\.providers\.huggingface\.pricing\.freeRequestsPerMonth/);
  });
});
