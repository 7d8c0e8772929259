import { describe, expect, it } from 'vitest';
import { normalizeComponent, normalizeComponents, normalizeCriteria, normalizeEvents, normalizeHistory } from './normalize.ts';
import { llmPayload, sttPayload } from './fixtures.ts';

describe('normalizeComponent', () => {
  it('reads the design payload: status, weight, step, health, metrics, providers with breakers, alerts', () => {
    const c = normalizeComponent(sttPayload);
    expect(c).toMatchObject({ component: 'stt', status: 'migrating', weight: 10, health: 92, step: { index: 0, total: 3, weight: 10 } });
    expect(c.metrics).toMatchObject({ p95Ms: 1900, errorRate: 0.02, requestsPerSecond: 4, costPerRequest: 0.003 });
    expect(c.providers).toEqual([
      { id: 'faster-whisper', role: 'production', breaker: 'closed', p50Ms: 300, p95Ms: 450, errorRate: 0.01, requests: 100 },
      { id: 'openai-whisper', role: 'mvp', breaker: 'open', p50Ms: 900, p95Ms: 2100, errorRate: 0.2, requests: 900 },
    ]);
    expect(c.alerts[0]).toMatchObject({ severity: 'critical', provider: 'openai-whisper', value: 2100, threshold: 2000 });
  });

  it('accepts providers as {production, mvp} with ids, percent error rates, health objects and HALF_OPEN breakers', () => {
    const c = normalizeComponent({
      component: 'tts',
      status: 'rollback',
      weight: 0,
      step: 1,
      health: { score: 40 },
      providers: { production: { id: 'coqui', breaker: 'HALF_OPEN' }, mvp: { id: 'web-speech', breaker: { state: 'closed' } } },
      metrics: { latency: { p95: 120 }, errorRate: 7.5 },
    });
    expect(c.health).toBe(40);
    expect(c.step.index).toBe(1);
    expect(c.metrics.p95Ms).toBe(120);
    expect(c.metrics.errorRate).toBeCloseTo(0.075);
    expect(c.providers.map((p) => [p.id, p.role, p.breaker])).toEqual([
      ['coqui', 'production', 'half-open'],
      ['web-speech', 'mvp', 'closed'],
    ]);
  });

  it('turns garbage into an unknown component instead of throwing', () => {
    const c = normalizeComponent('nonsense');
    expect(c).toMatchObject({ component: '?', status: 'unknown', weight: 0, health: null, providers: [], alerts: [] });
    expect(normalizeComponent({ status: 'exploded' }).status).toBe('unknown');
  });

  it('reads a components list from the list endpoint', () => {
    expect(normalizeComponents({ components: [sttPayload, llmPayload] }).map((c) => c.component)).toEqual(['stt', 'llm']);
    expect(normalizeComponents({})).toEqual([]);
  });
});

describe('normalizeCriteria', () => {
  const payload = {
    component: 'llm',
    criteria: [
      { name: 'p95', target: { op: '<', value: 1500 }, measured: 420, unit: 'ms', samples: 800, verdict: 'PASS' },
      { name: 'quality', target: '> 95 %', measured: null, samples: 0, verdict: 'INCONCLUSIVE' },
    ],
  };

  it('reads each criterion and computes NO-GO unless every criterion passes', () => {
    const view = normalizeCriteria(payload);
    expect(view.criteria[0]).toEqual({ name: 'p95', target: '< 1500', measured: 420, unit: 'ms', samples: 800, verdict: 'PASS' });
    expect(view.criteria[1]?.target).toBe('> 95 %');
    expect(view.go).toBe(false);
    expect(normalizeCriteria({ criteria: [payload.criteria[0]] }).go).toBe(true);
  });

  it('prefers the gateway’s own decision when given', () => {
    expect(normalizeCriteria({ ...payload, decision: 'GO' }).go).toBe(true);
    expect(normalizeCriteria({ criteria: [payload.criteria[0]], decision: 'NO-GO' }).go).toBe(false);
    expect(normalizeCriteria({ criteria: [payload.criteria[0]], go: false }).go).toBe(false);
  });
});

describe('normalizeEvents and normalizeHistory', () => {
  it('reads audit events with actor, reason, from and to', () => {
    const [e] = normalizeEvents({ events: [{ id: 3, at: '2026-11-24T10:00:00Z', component: 'stt', actor: 'analysis', action: 'rollback', reason: 'p95 > 2000 ms', from: { weight: 50 }, to: { weight: 0 } }] });
    expect(e).toEqual({ id: '3', at: '2026-11-24T10:00:00Z', component: 'stt', actor: 'analysis', action: 'rollback', reason: 'p95 > 2000 ms', from: '50', to: '0' });
  });

  it('reads rollups in time order, with epoch seconds or ISO times, deriving error rates from counts', () => {
    const points = normalizeHistory({
      points: [
        { t: '2026-11-24T10:01:00Z', provider: 'groq', requests: 10, errors: 1, p95Ms: 300 },
        { t: 1_795_514_400, provider: 'groq', requests: 0, p95Ms: null },
        { provider: 'groq' },
      ],
    });
    expect(points.map((p) => p.t)).toEqual([1_795_514_400_000, Date.parse('2026-11-24T10:01:00Z')]);
    expect(points[1]?.errorRate).toBeCloseTo(0.1);
    expect(points[0]?.errorRate).toBeNull();
  });
});
