import { describe, expect, it } from 'vitest';
import { breakEvenMonths, projectMonthlyCost, requestCost, savingsVsMvp, type CostModel, type MonthlyVolume } from '../src/index.ts';

// The plan's inputs: a month of the reading app's traffic, the external providers' prices in their own
// units, and production as the GPU VPS (80 € a month) plus Groq's tokens for llm (3 600 € one-time).
const model: CostModel = {
  prices: {
    'openai-whisper': { unit: 'audio_second', eurPerUnit: 0.00015 }, // 0.009 € a minute
    huggingface: { unit: 'request', eurPerUnit: 0.0005, freeRequestsPerMonth: 1000 },
    easyocr: { unit: 'image', eurPerUnit: 0 }, // run by the school itself: 0 € in the plan
    'web-speech': { unit: 'request', eurPerUnit: 0 }, // spoken by the browser
    groq: { unit: 'token', eurPerUnit: 0.0000008 }, // 0.80 € per million tokens
  },
  vps: { monthlyCostEur: 80, oneTimeCostEur: 3600 },
};

const month = {
  stt: { requests: 400_000, usage: { audioSeconds: 1_200_000 } }, // 400 k words read aloud, 3 s each
  llm: { requests: 201_000, usage: { tokens: 100_000_000 } }, // exercises and feedback, about 500 tokens each
  vision: { requests: 30_000, usage: { images: 30_000 } },
  tts: { requests: 500_000, usage: { characters: 20_000_000 } },
};

const mvp: MonthlyVolume[] = [
  { provider: 'openai-whisper', ...month.stt },
  { provider: 'huggingface', ...month.llm },
  { provider: 'easyocr', ...month.vision },
  { provider: 'web-speech', ...month.tts },
];
const production: MonthlyVolume[] = [
  { provider: 'faster-whisper', ...month.stt },
  { provider: 'groq', ...month.llm },
  { provider: 'trocr', ...month.vision },
  { provider: 'coqui', ...month.tts },
];

describe('cost model', () => {
  it("reproduces the plan's figures: MVP 280 €/month (100 + 180 + 0), production 80 + 80 = 160 €/month, break-even in 30 months", () => {
    const mvpCost = projectMonthlyCost(model, mvp);
    expect(mvpCost.byProvider['openai-whisper']).toBeCloseTo(180, 9);
    expect(mvpCost.byProvider.huggingface).toBeCloseTo(100, 9); // 201 000 requests, the first 1 000 free
    expect(mvpCost.byProvider).toMatchObject({ easyocr: 0, 'web-speech': 0 });
    expect(mvpCost.totalEur).toBeCloseTo(280, 9);
    expect(mvpCost.fixedEur).toBe(0);

    // Groq's tokens and the VPS, each counted once.
    const productionCost = projectMonthlyCost(model, production);
    expect(productionCost.variableEur).toBeCloseTo(80, 9);
    expect(productionCost.fixedEur).toBe(80);
    expect(productionCost.totalEur).toBeCloseTo(160, 9);

    const savings = savingsVsMvp(mvpCost.totalEur, productionCost.totalEur);
    expect(savings.monthlyEur).toBeCloseTo(120, 9);
    expect(savings.ratio).toBeCloseTo(0.4286, 4); // within the plan's 40–60 % target
    expect(breakEvenMonths(model.vps.oneTimeCostEur, savings.monthlyEur)).toBeCloseTo(30, 9);
  });

  it("bills no Hugging Face request within the month's free tier", () => {
    expect(projectMonthlyCost(model, [{ provider: 'huggingface', requests: 800, usage: {} }]).totalEur).toBe(0);
    expect(projectMonthlyCost(model, [{ provider: 'huggingface', requests: 3000, usage: {} }]).totalEur).toBeCloseTo(1, 9);
  });

  it('prices one request in the provider unit', () => {
    expect(requestCost(model, 'openai-whisper', { audioSeconds: 3 })).toBeCloseTo(0.00045, 12);
    expect(requestCost(model, 'huggingface')).toBeCloseTo(0.0005, 12); // the marginal request, past the free tier
    expect(requestCost(model, 'groq', { tokens: 500 })).toBeCloseTo(0.0004, 12);
    expect(requestCost(model, 'easyocr', { images: 1 })).toBe(0);
    expect(requestCost(model, 'vps-llm')).toBe(0); // not priced, and no VPS volume given
  });

  it("charges self-hosted requests their share of the VPS when the volume is known", () => {
    expect(requestCost(model, 'faster-whisper', { audioSeconds: 3 })).toBe(0);
    const shared = { ...model, vpsMonthlyRequests: 1_130_000 };
    expect(requestCost(shared, 'faster-whisper')).toBeCloseTo(80 / 1_130_000, 12);
    expect(requestCost(shared, 'web-speech')).toBe(0);
  });

  it('keeps the VPS when self-hosted providers carry a price of 0 per request, as the gateway config gives them', () => {
    const priced: CostModel = {
      ...model,
      prices: { ...model.prices, 'faster-whisper': { unit: 'request', eurPerUnit: 0 }, 'vps-llm': { unit: 'request', eurPerUnit: 0 }, trocr: { unit: 'request', eurPerUnit: 0 }, coqui: { unit: 'request', eurPerUnit: 0 } },
    };
    expect(projectMonthlyCost(priced, production)).toMatchObject({ fixedEur: 80 });
    expect(requestCost({ ...priced, vpsMonthlyRequests: 1_130_000 }, 'faster-whisper')).toBeCloseTo(80 / 1_130_000, 12);
    expect(requestCost(priced, 'faster-whisper')).toBe(0); // volume unknown: the VPS is a fixed cost, not per request
  });

  it('names the missing usage field', () => {
    expect(() => requestCost(model, 'openai-whisper', {})).toThrow(/usage\.audioSeconds: expected a number >= 0 \(priced per audio_second\)/);
  });

  it('never breaks even without savings', () => {
    expect(breakEvenMonths(3600, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(breakEvenMonths(3600, -10)).toBe(Number.POSITIVE_INFINITY);
    expect(breakEvenMonths(0, 10)).toBe(0);
  });
});
