// The plan's figures from a gateway config as an operator writes it: the external providers' prices in their
// own units and the VPS's costs come from the config; the month's traffic is the plan's. The engine's cost
// model (@bascule/routing) turns them into MVP 280 €/month, production 160 €/month, break-even in 30 months.
import { breakEvenMonths, projectMonthlyCost, requestCost, savingsVsMvp, type MonthlyVolume } from '@bascule/routing';
import { describe, expect, it } from 'vitest';
import { costModelFromConfig, defaultLocalConfig, parseGatewayConfig, PLAN_MONTHLY_REQUESTS, type GatewayConfigInput } from '../src/index.ts';

const plan = (slaMs: number) => ({ version: 1, steps: [{ weight: 10, duration: '48h' }, { weight: 50, duration: '48h' }, { weight: 100, duration: '7d' }], slaMs });
const vps = (port: number) => `http://10.0.0.2:${port}`;

/** The plan's inputs: external prices of the order of the providers' public ones; self-hosted providers left at their default price. */
const configInput: GatewayConfigInput = {
  auth: { clientKeys: [{ name: 'reading-app', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN' },
  components: {
    llm: {
      mvp: 'huggingface',
      production: 'vps-llm',
      plan: plan(3000),
      providers: {
        huggingface: { baseUrl: 'https://router.huggingface.co/v1', apiKeyEnv: 'HF_TOKEN', pricing: { unit: 'token', eurPerUnit: 0.000001 } },
        'vps-llm': { baseUrl: vps(8000) },
      },
    },
    stt: {
      mvp: 'openai-whisper',
      production: 'faster-whisper',
      plan: plan(2000),
      providers: {
        'openai-whisper': { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', pricing: { unit: 'audio_second', eurPerUnit: 0.0001 } },
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
        easyocr: { baseUrl: 'http://10.0.0.3:8003', pricing: { unit: 'image', eurPerUnit: 0.002 } },
        trocr: { baseUrl: vps(8004) },
      },
    },
  },
  vps: { monthlyCostEur: 160, oneTimeCostEur: 3600 },
};

// A month of the reading app: 400 k words read aloud (3 s each), 200 k exercises (500 tokens each),
// 30 k letters written, 500 k words spoken.
const month = {
  llm: { requests: 200_000, usage: { tokens: 100_000_000 } },
  stt: { requests: 400_000, usage: { audioSeconds: 1_200_000 } },
  tts: { requests: 500_000, usage: {} },
  vision: { requests: 30_000, usage: { images: 30_000 } },
};
const mvp: MonthlyVolume[] = [
  { provider: 'huggingface', ...month.llm },
  { provider: 'openai-whisper', ...month.stt },
  { provider: 'web-speech', ...month.tts },
  { provider: 'easyocr', ...month.vision },
];
const production: MonthlyVolume[] = [
  { provider: 'vps-llm', ...month.llm },
  { provider: 'faster-whisper', ...month.stt },
  { provider: 'coqui', ...month.tts },
  { provider: 'trocr', ...month.vision },
];

describe('costModelFromConfig', () => {
  const config = parseGatewayConfig(configInput);
  const model = costModelFromConfig(config);

  it('takes every price in its own unit, and the VPS, from the config', () => {
    expect(model.prices).toEqual({
      huggingface: { unit: 'token', eurPerUnit: 0.000001 },
      'vps-llm': { unit: 'request', eurPerUnit: 0 },
      'openai-whisper': { unit: 'audio_second', eurPerUnit: 0.0001 },
      'faster-whisper': { unit: 'request', eurPerUnit: 0 },
      'web-speech': { unit: 'request', eurPerUnit: 0 },
      coqui: { unit: 'request', eurPerUnit: 0 },
      easyocr: { unit: 'image', eurPerUnit: 0.002 },
      trocr: { unit: 'request', eurPerUnit: 0 },
    });
    expect(model.vps).toEqual({ monthlyCostEur: 160, oneTimeCostEur: 3600 });
    expect(model.vpsMonthlyRequests).toBeUndefined();
  });

  it("reproduces the plan's figures: MVP 280 €/month, production 160 €/month, 3 600 € one-time, break-even in 30 months", () => {
    const mvpCost = projectMonthlyCost(model, mvp);
    expect(mvpCost.byProvider).toEqual({ huggingface: 100, 'openai-whisper': 120, 'web-speech': 0, easyocr: 60 });
    expect(mvpCost.totalEur).toBeCloseTo(280, 9);
    const productionCost = projectMonthlyCost(model, production);
    expect(productionCost).toMatchObject({ variableEur: 0, fixedEur: 160, totalEur: 160 });
    const savings = savingsVsMvp(mvpCost.totalEur, productionCost.totalEur);
    expect(savings.monthlyEur).toBeCloseTo(120, 9);
    expect(savings.ratio).toBeGreaterThanOrEqual(0.4); // the plan's target: costs down 40–60 %
    expect(savings.ratio).toBeLessThanOrEqual(0.6);
    expect(breakEvenMonths(model.vps.oneTimeCostEur, savings.monthlyEur)).toBeCloseTo(30, 9);
  });

  it('prices a request in its unit, and a self-hosted one at its share of the VPS once the volume is known', () => {
    expect(requestCost(model, 'openai-whisper', { audioSeconds: 3 })).toBeCloseTo(0.0003, 12);
    expect(requestCost(model, 'faster-whisper', { audioSeconds: 3 })).toBe(0);
    const shared = costModelFromConfig(config, { vpsMonthlyRequests: 1_130_000 });
    expect(requestCost(shared, 'faster-whisper', { audioSeconds: 3 })).toBeCloseTo(160 / 1_130_000, 12);
  });

  it("charges the VPS share from the config's expected volume, and the plan's volume in the local config", () => {
    const withVolume = parseGatewayConfig({ ...configInput, vps: { monthlyCostEur: 160, expectedMonthlyRequests: 400_000 } });
    expect(requestCost(costModelFromConfig(withVolume), 'faster-whisper')).toBeCloseTo(160 / 400_000, 12);
    expect(requestCost(costModelFromConfig(withVolume), 'openai-whisper', { audioSeconds: 3 })).toBeCloseTo(0.0003, 12);
    const local = defaultLocalConfig({ baseUrlFor: () => 'http://127.0.0.1:1' });
    expect(costModelFromConfig(local).vpsMonthlyRequests).toBe(PLAN_MONTHLY_REQUESTS);
  });

  it('names the field of a bad expected volume', () => {
    expect(() => parseGatewayConfig({ ...configInput, vps: { monthlyCostEur: 160, expectedMonthlyRequests: 0 } })).toThrow(/vps\.expectedMonthlyRequests/);
  });
});
