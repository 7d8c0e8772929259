import { describe, expect, it } from 'vitest';
import { costEfficiency, deriveOverview, healthLevel } from './overview.ts';
import { normalizeComponent } from './normalize.ts';
import { llmPayload, sttPayload } from './fixtures.ts';

describe('deriveOverview', () => {
  const components = [normalizeComponent(sttPayload), normalizeComponent(llmPayload)];

  it('a warning on the paid provider is information, not an open alert', () => {
    const warning = { ...sttPayload.alerts[0]!, severity: 'warning' as const };
    const c = normalizeComponent({ ...sttPayload, alerts: [warning] });
    expect(c.alerts[0]!.severity).toBe('info');
    expect(deriveOverview([c]).openAlerts).toBe(0);
  });

  it('aggregates the headline numbers weighted by traffic', () => {
    const o = deriveOverview(components);
    // health: (92×1200 + 60×3600) / 4800
    expect(o.health).toBeCloseTo(68);
    // 1200 + 3600 requests over 5-minute windows; 42 students on stt, 7 on llm: at least 42 distinct.
    expect(o).toMatchObject({ migrated: 1, total: 2, requestsPerSecond: 16, activeStudents: 42, openAlerts: 1, criticalAlerts: 1 });
    // cost: over the self-hosted requests only, each component's saving weighted by what it served.
    const served = components.map((c) => c.providers.find((p) => p.role === 'production')!.requests!);
    const expected = (costEfficiency(components[0]!)! * served[0]! + costEfficiency(components[1]!)! * served[1]!) / (served[0]! + served[1]!);
    expect(o.costReduction).toBeCloseTo(expected);
    expect(o.nothingMigrated).toBe(false);
    // latency: 1 − (1900×1200 + 400×3600) / (2100×1200 + 1000×3600)
    expect(o.latencyGain).toBeCloseTo(1 - 3_720_000 / 6_120_000);
  });

  it('shows unknowns as null rather than zero when nothing is reported', () => {
    const o = deriveOverview([normalizeComponent({ component: 'vision', status: 'mvp', weight: 0, step: -1 })]);
    expect(o).toMatchObject({ health: null, costReduction: null, nothingMigrated: true, latencyGain: null, requestsPerSecond: null, activeStudents: null, openAlerts: 0, migrated: 0 });
  });
});

describe('cost efficiency and health level', () => {
  it('computes the saving of a self-hosted request against the paid API, none at weight 0', () => {
    expect(costEfficiency(normalizeComponent(sttPayload))).toBeCloseTo(1 - 0.001 / 0.006);
    expect(costEfficiency(normalizeComponent({ ...sttPayload, weight: 0 }))).toBeNull();
    const free = { ...sttPayload.providers.mvp, metrics: { ...sttPayload.providers.mvp.metrics, costPerRequestEur: 0 } };
    expect(costEfficiency(normalizeComponent({ ...sttPayload, providers: { ...sttPayload.providers, mvp: free } }))).toBeNull();
  });

  it('uses the plan’s health threshold of 80', () => {
    expect([null, 95, 80, 79.9, 30].map(healthLevel)).toEqual(['unknown', 'good', 'good', 'degraded', 'bad']);
  });
});
