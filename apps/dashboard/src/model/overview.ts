// The overview's headline numbers, derived from the components' payloads.
import type { ComponentView } from './types.ts';

export interface OverviewView {
  /** Request-weighted mean of the components' health scores (0–100). */
  health: number | null;
  migrated: number;
  total: number;
  /**
   * 1 − the self-hosted cost per request / the paid API's, over the requests the self-hosted providers
   * served (the migrated share); null when nothing is migrated yet (see `nothingMigrated`).
   */
  costReduction: number | null;
  /** No component sends any student to its self-hosted provider. */
  nothingMigrated: boolean;
  /** 1 − p95 now / p95 on the MVP provider, request-weighted. */
  latencyGain: number | null;
  requestsPerSecond: number | null;
  activeStudents: number | null;
  openAlerts: number;
  criticalAlerts: number;
}

function sumOrNull(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

function weightedMean(pairs: { value: number | null; weight: number }[]): number | null {
  const usable = pairs.filter((p): p is { value: number; weight: number } => p.value !== null);
  if (usable.length === 0) return null;
  const totalWeight = usable.reduce((a, p) => a + p.weight, 0);
  if (totalWeight === 0) return usable.reduce((a, p) => a + p.value, 0) / usable.length;
  return usable.reduce((a, p) => a + p.value * p.weight, 0) / totalWeight;
}

const traffic = (c: ComponentView): number => c.metrics.requests ?? c.metrics.requestsPerSecond ?? 0;

function ratioGain(components: ComponentView[], now: (c: ComponentView) => number | null, base: (c: ComponentView) => number | null): number | null {
  let measured = 0;
  let baseline = 0;
  for (const c of components) {
    const n = now(c);
    const b = base(c);
    if (n === null || b === null) continue;
    const w = traffic(c) || 1;
    measured += n * w;
    baseline += b * w;
  }
  return baseline > 0 ? 1 - measured / baseline : null;
}

export function deriveOverview(components: ComponentView[]): OverviewView {
  // Information on the paid provider is not an open alert of the migration.
  const alerts = components.flatMap((c) => c.alerts).filter((a) => a.severity !== 'info');
  return {
    health: weightedMean(components.map((c) => ({ value: c.health, weight: traffic(c) }))),
    migrated: components.filter((c) => c.status === 'production').length,
    total: components.length,
    costReduction: migratedCostReduction(components),
    nothingMigrated: components.every((c) => c.weight === 0),
    latencyGain: ratioGain(components, (c) => c.metrics.p95Ms, (c) => c.metrics.mvpP95Ms),
    requestsPerSecond: sumOrNull(components.map((c) => c.metrics.requestsPerSecond)),
    // A student may use several components; the largest component count is a floor, not a sum.
    activeStudents: components.reduce<number | null>((max, c) => (c.metrics.activeStudents === null ? max : Math.max(max ?? 0, c.metrics.activeStudents)), null),
    openAlerts: alerts.length,
    criticalAlerts: alerts.filter((a) => a.severity === 'critical').length,
  };
}

/**
 * How much cheaper a request served by the self-hosted provider is than on the paid API (1 = free, 0 = same,
 * < 0 = dearer); null when it served none (weight 0: there is nothing to compare).
 */
export function costEfficiency(c: ComponentView): number | null {
  const production = c.providers.find((p) => p.role === 'production');
  const mvpCost = c.metrics.mvpCostPerRequest;
  if (c.weight === 0 || !production || !production.requests || production.costPerRequest === null || mvpCost === null || mvpCost === 0) return null;
  return 1 - production.costPerRequest / mvpCost;
}

/** Request-weighted over the components' self-hosted traffic only. */
function migratedCostReduction(components: ComponentView[]): number | null {
  let served = 0;
  let saved = 0;
  for (const c of components) {
    const efficiency = costEfficiency(c);
    const requests = c.providers.find((p) => p.role === 'production')?.requests ?? 0;
    if (efficiency === null || requests === 0) continue;
    served += requests;
    saved += efficiency * requests;
  }
  return served === 0 ? null : saved / served;
}

export type HealthLevel = 'good' | 'degraded' | 'bad' | 'unknown';

/** The plan's alert threshold is health < 80. */
export function healthLevel(score: number | null): HealthLevel {
  if (score === null) return 'unknown';
  if (score >= 80) return 'good';
  if (score >= 50) return 'degraded';
  return 'bad';
}
