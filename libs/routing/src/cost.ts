// The cost model: external providers' prices in their own units, the VPS's fixed monthly cost, and what
// follows: cost per request, projected monthly cost, savings against the all-MVP baseline, break-even.
// Units and field names are those of the gateway config's `pricing` (libs/contracts).
import type { ProviderId } from './types.ts';

export type PricingUnit = 'token' | 'audio_second' | 'image' | 'character' | 'request';

export interface Pricing {
  unit: PricingUnit;
  eurPerUnit: number;
  /**
   * Requests a month the provider does not bill (Hugging Face's free tier: 1 000). A month's bill leaves out
   * that share of its units; the price of one request is the marginal one (the allowance is spent early).
   */
  freeRequestsPerMonth?: number;
}

/** What one request (or one month) consumed, in each provider's units. Requests are counted apart. */
export interface Usage {
  tokens?: number;
  audioSeconds?: number;
  images?: number;
  characters?: number;
}

export interface CostModel {
  /** Providers billed per use. A provider not listed costs nothing per request. */
  prices: Partial<Record<ProviderId, Pricing>>;
  vps: { monthlyCostEur: number; oneTimeCostEur: number };
  /**
   * Expected requests a month on the VPS: when given, self-hosted providers are charged their share of the
   * VPS per request (monthlyCostEur / this), so cost per request compares fairly with external prices.
   */
  vpsMonthlyRequests?: number;
}

/** Served by the VPS (a fixed cost); `web-speech` runs in the browser and costs nothing. */
export const SELF_HOSTED: ReadonlySet<ProviderId> = new Set<ProviderId>(['vps-llm', 'faster-whisper', 'coqui', 'trocr']);

const USAGE_FIELD: Record<Exclude<PricingUnit, 'request'>, keyof Usage> = {
  token: 'tokens',
  audio_second: 'audioSeconds',
  image: 'images',
  character: 'characters',
};

/** Units billed for `requests` requests that consumed `usage` in all. */
export function billedUnits(pricing: Pricing, usage: Usage, requests = 1): number {
  if (pricing.unit === 'request') return requests;
  const field = USAGE_FIELD[pricing.unit];
  const value = usage[field];
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`usage.${field}: expected a number >= 0 (priced per ${pricing.unit}), got ${String(value)}`);
  }
  return value;
}

/**
 * Cost in euros of one request to a provider: its per-use price, plus, for a self-hosted provider when the
 * VPS's monthly volume is known, its share of the VPS. (A gateway config prices every provider, self-hosted
 * ones at 0 per request by default: that price must not hide the VPS.)
 */
export function requestCost(model: CostModel, provider: ProviderId, usage: Usage = {}): number {
  const pricing = model.prices[provider];
  const perUse = pricing ? billedUnits(pricing, usage) * pricing.eurPerUnit : 0;
  const shareOfVps = SELF_HOSTED.has(provider) && model.vpsMonthlyRequests !== undefined && model.vpsMonthlyRequests > 0 ? model.vps.monthlyCostEur / model.vpsMonthlyRequests : 0;
  return perUse + shareOfVps;
}

/** A month of traffic to one provider: its request count and the usage of all those requests. */
export interface MonthlyVolume {
  provider: ProviderId;
  requests: number;
  usage: Usage;
}

export interface MonthlyCost {
  /** Billed per use, by provider. */
  byProvider: Partial<Record<ProviderId, number>>;
  variableEur: number;
  fixedEur: number;
  totalEur: number;
}

/** Projected month: per-use bills of the volumes, plus the VPS's fixed cost when any volume is self-hosted. */
export function projectMonthlyCost(model: CostModel, volumes: readonly MonthlyVolume[]): MonthlyCost {
  const byProvider: Partial<Record<ProviderId, number>> = {};
  let variableEur = 0;
  let usesVps = false;
  for (const v of volumes) {
    if (!Number.isFinite(v.requests) || v.requests < 0) throw new RangeError(`volumes[${v.provider}].requests: expected a number >= 0, got ${v.requests}`);
    const pricing = model.prices[v.provider];
    const eur = pricing ? billedUnits(pricing, v.usage, v.requests) * paidShare(pricing, v.requests) * pricing.eurPerUnit : 0;
    byProvider[v.provider] = (byProvider[v.provider] ?? 0) + eur;
    variableEur += eur;
    // Whatever its per-use price (0 by default in the config), a self-hosted provider runs on the VPS.
    if (SELF_HOSTED.has(v.provider)) usesVps = true;
  }
  const fixedEur = usesVps ? model.vps.monthlyCostEur : 0;
  return { byProvider, variableEur, fixedEur, totalEur: variableEur + fixedEur };
}

/** Share of a month's units that is billed once the free requests are taken off (1 without a free tier). */
function paidShare(pricing: Pricing, requests: number): number {
  const free = pricing.freeRequestsPerMonth ?? 0;
  if (free <= 0 || requests <= 0) return 1;
  return Math.max(0, requests - free) / requests;
}

export interface Savings {
  monthlyEur: number;
  /** Fraction of the MVP's cost saved (0.43 = 43 %). */
  ratio: number;
}

export function savingsVsMvp(mvpMonthlyEur: number, productionMonthlyEur: number): Savings {
  const monthlyEur = mvpMonthlyEur - productionMonthlyEur;
  return { monthlyEur, ratio: mvpMonthlyEur > 0 ? monthlyEur / mvpMonthlyEur : 0 };
}

/** Months for the savings to repay the one-time cost; Infinity when nothing is saved. */
export function breakEvenMonths(oneTimeEur: number, monthlySavingsEur: number): number {
  if (oneTimeEur <= 0) return 0;
  return monthlySavingsEur > 0 ? oneTimeEur / monthlySavingsEur : Number.POSITIVE_INFINITY;
}
