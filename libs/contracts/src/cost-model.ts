// A gateway config's cost model, in the engine's terms (@bascule/routing's CostModel): each provider's price
// in its own unit, as configured, and the VPS's fixed monthly and one-time costs.
import { COMPONENTS, type CostModel, type Pricing, type ProviderId } from '@bascule/routing';
import type { GatewayConfig } from './config.ts';

/**
 * Prices of every provider the config names (self-hosted ones default to 0 per request: the VPS is their
 * cost) and the VPS from `vps`. Self-hosted requests are charged a share of the VPS: its monthly cost over
 * `vpsMonthlyRequests`, by default the config's `vps.expectedMonthlyRequests` (no share when neither is set).
 */
export function costModelFromConfig(config: GatewayConfig, options: { vpsMonthlyRequests?: number } = {}): CostModel {
  const vpsMonthlyRequests = options.vpsMonthlyRequests ?? config.vps.expectedMonthlyRequests;
  const prices: Partial<Record<ProviderId, Pricing>> = {};
  for (const component of COMPONENTS) {
    const providers = config.components[component]?.providers ?? {};
    for (const [id, provider] of Object.entries(providers) as Array<[ProviderId, { pricing: Pricing } | undefined]>) {
      if (provider) prices[id] = { ...provider.pricing };
    }
  }
  return {
    prices,
    vps: { monthlyCostEur: config.vps.monthlyCostEur, oneTimeCostEur: config.vps.oneTimeCostEur },
    ...(vpsMonthlyRequests !== undefined ? { vpsMonthlyRequests } : {}),
  };
}
