// The capacity of a component's production provider, for the analysis and the views: its hosts' measured
// service time (provider-capacity.ts), the component's busiest minute in the step (peak-rate.ts), the share
// the provider carries now and the active students, handed to the engine's forecast (libs/routing
// capacity.ts). Only for providers we run (a pool whose hosts measure): a paid API has no capacity of ours.
import { COMPONENTS, DEFAULT_CAPACITY_THRESHOLD, forecastCapacity, MINUTE_MS, nextStepWeight, type MinuteRollup, type ProviderId, type RolloutPlan, type RolloutState } from '@bascule/routing';
import type { CapacitySummary, GatewayConfig } from '@bascule/contracts';
import type { HostPool } from '../adapters/hosts.ts';
import { isRequest, PeakRates, perMinute } from './peak-rate.ts';
import { measuredService } from './provider-capacity.ts';

export interface CapacityReading {
  plan: RolloutPlan;
  state: RolloutState;
  /** The short window's rollups of the component (every replica's, merged). */
  rollups: readonly MinuteRollup[];
  windowMs: number;
  /** Distinct students active on the component now (migration/active-students.ts). */
  activeStudents: number;
}

export class CapacityForecaster {
  private readonly peaks = new PeakRates();

  constructor(
    private readonly pools: ReadonlyMap<ProviderId, HostPool>,
    /** Config `parallelSlots` of a provider (default 1). */
    private readonly slots: (provider: ProviderId) => number = () => 1,
  ) {}

  /** The forecast for the component's production provider; undefined when it is not a provider we run. */
  read(r: CapacityReading): CapacitySummary | undefined {
    const provider = r.plan.productionProvider;
    const pool = this.pools.get(provider);
    if (!pool || pool.hosts[0]?.service === undefined) return undefined;
    const service = measuredService(pool);
    const minuteSeconds = MINUTE_MS / 1000;
    const windowSeconds = r.windowMs / 1000;
    const componentTotal = r.rollups.reduce((n, x) => (isRequest(x) ? n + x.count : n), 0);
    const productionTotal = r.rollups.reduce((n, x) => (x.provider === provider && x.route === 'production' ? n + x.count : n), 0);
    const forecast = forecastCapacity({
      componentRatePerSec: this.peaks.observe(r.plan.component, r.state.stepStartedAt, r.rollups),
      // "Now": the provider's busiest minute of the short window (a minute, like the forecast's peak).
      productionRatePerSec: Math.max(0, ...perMinute(r.rollups, (x) => x.provider === provider && x.route === 'production').values()) / minuteSeconds,
      serviceMs: service.serviceMs,
      samples: service.samples,
      hosts: service.hosts,
      slotsPerHost: this.slots(provider),
      nextWeight: nextStepWeight(r.plan, r.state),
      activeStudents: r.activeStudents,
      studentRatePerSec: componentTotal / windowSeconds,
      threshold: r.plan.criteria.find((c) => c.id === 'capacity')?.target ?? DEFAULT_CAPACITY_THRESHOLD,
    });
    // The share over the one window both counts come from (the engine's is the ratio of two different minutes).
    const share = componentTotal > 0 ? productionTotal / componentTotal : null;
    return { provider, ...forecast, share, perHost: service.perHost };
  }
}


/** A provider's `parallelSlots` in the config (the first component that configures it), default 1. */
export function parallelSlotsOf(config: GatewayConfig, provider: ProviderId): number {
  for (const component of COMPONENTS) {
    const slots = config.components[component]?.providers[provider]?.parallelSlots;
    if (slots !== undefined) return slots;
  }
  return 1;
}
