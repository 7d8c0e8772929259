import { describe, expect, it } from 'vitest';
import { costEfficiency, deriveOverview, healthLevel } from './overview.ts';
import { normalizeComponent } from './normalize.ts';
import { llmPayload, sttPayload } from './fixtures.ts';

describe('deriveOverview', () => {
  const components = [normalizeComponent(sttPayload), normalizeComponent(llmPayload)];

  it('aggregates the headline numbers weighted by traffic', () => {
    const o = deriveOverview(components);
    // health: (92×1000 + 60×3000) / 4000
    expect(o.health).toBeCloseTo(68);
    expect(o).toMatchObject({ migrated: 1, total: 2, requestsPerSecond: 16, activeStudents: 45, openAlerts: 1, criticalAlerts: 1 });
    // cost: 1 − (0.003×1000 + 0.001×3000) / (0.006×1000 + 0.002×3000) = 0.5
    expect(o.costReduction).toBeCloseTo(0.5);
    // latency: 1 − (1900×1000 + 400×3000) / (2100×1000 + 1000×3000)
    expect(o.latencyGain).toBeCloseTo(1 - 3_100_000 / 5_100_000);
  });

  it('shows unknowns as null rather than zero when nothing is reported', () => {
    const o = deriveOverview([normalizeComponent({ component: 'vision', status: 'mvp', weight: 0 })]);
    expect(o).toMatchObject({ health: null, costReduction: null, latencyGain: null, requestsPerSecond: null, activeStudents: null, openAlerts: 0, migrated: 0 });
  });
});

describe('cost efficiency and health level', () => {
  it('computes the saving per request against the MVP', () => {
    expect(costEfficiency(normalizeComponent(sttPayload))).toBeCloseTo(0.5);
    expect(costEfficiency(normalizeComponent({ metrics: { costPerRequest: 1, mvpCostPerRequest: 0 } }))).toBeNull();
  });

  it('uses the plan’s health threshold of 80', () => {
    expect([null, 95, 80, 79.9, 30].map(healthLevel)).toEqual(['unknown', 'good', 'good', 'degraded', 'bad']);
  });
});
