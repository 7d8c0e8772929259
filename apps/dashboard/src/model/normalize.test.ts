import { describe, expect, it } from 'vitest';
import { normalizeComponent, normalizeComponents, normalizeCriteria, normalizeEvents, normalizeHistory } from './normalize.ts';
import { criteriaPayload, eventsPayload, llmPayload, sttPayload } from './fixtures.ts';

describe('normalizeComponent', () => {
  it('reads the contract payload: status, weight, plan step, health, metrics, providers with breakers, alerts', () => {
    const c = normalizeComponent(sttPayload);
    expect(c).toMatchObject({ component: 'stt', status: 'migrating', weight: 10, health: 92, step: { index: 0, total: 3, weight: 10, nextWeight: 50 } });
    // 1200 requests over a 5-minute window: 4 per second. The MVP provider's cost and p95 are the baseline.
    expect(c.metrics).toMatchObject({ p95Ms: 1900, errorRate: 0.02, requestsPerSecond: 4, costPerRequest: 0.003, mvpCostPerRequest: 0.006, mvpP95Ms: 2100, activeStudents: 42 });
    expect(c.providers).toEqual([
      { id: 'faster-whisper', role: 'production', breaker: 'closed', p50Ms: 300, p95Ms: 450, errorRate: 0.01, requests: 100, costPerRequest: 0.001 },
      { id: 'openai-whisper', role: 'mvp', breaker: 'open', p50Ms: 900, p95Ms: 2100, errorRate: 0.2, requests: 900, costPerRequest: 0.006 },
    ]);
    expect(c.alerts[0]).toMatchObject({ id: 'stt:openai-whisper:p95_latency', severity: 'critical', provider: 'openai-whisper', value: 2100, threshold: 2000 });
  });

  it('reads a step before the plan starts, half-open breakers and missing latencies', () => {
    const c = normalizeComponent({ ...llmPayload, step: -1, weight: 0, status: 'mvp' });
    expect(c.step).toMatchObject({ index: -1, total: 3, weight: null, nextWeight: 10 });
    expect(c.providers[1]?.breaker).toBe('half-open');
    expect(c.providers[0]?.p50Ms).toBeNull();
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
  it('reads each criterion with comparator, target, unit and samples, and the gateway’s verdict', () => {
    const view = normalizeCriteria(criteriaPayload);
    expect(view.criteria[0]).toEqual({ id: 'p95_latency', label: 'p95 latency', comparator: '<', target: 1500, unit: 'ms', measured: 420, samples: 800, minSamples: 100, verdict: 'PASS', detail: null });
    expect(view).toMatchObject({ verdict: 'HOLD', provider: 'groq' });
  });

  it('derives GO / NO-GO / HOLD the same way when the verdict is missing', () => {
    const [pass, inconclusive] = criteriaPayload.criteria;
    const derive = (criteria: unknown[]) => normalizeCriteria({ criteria }).verdict;
    expect(derive([pass])).toBe('GO');
    expect(derive([pass, inconclusive])).toBe('HOLD');
    expect(derive([inconclusive, { ...pass, verdict: 'FAIL' }])).toBe('NO-GO');
    expect(derive([])).toBe('HOLD');
  });
});

describe('normalizeEvents and normalizeHistory', () => {
  it('reads audit events with actor, reason, from and to', () => {
    const [e] = normalizeEvents(eventsPayload);
    expect(e).toEqual({
      id: 'e3',
      at: '2026-11-24T10:00:00.000Z',
      component: 'stt',
      actor: 'analysis',
      action: 'rollback',
      reason: 'p95 > 2000 ms for 3 evaluations',
      from: { status: 'migrating', weight: 50 },
      to: { status: 'rollback', weight: 0 },
    });
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

describe('the snapshot of a component', () => {
  it('reads the plan, the step time, the analysis, the verdict, the criteria and the gates', () => {
    const c = normalizeComponent({
      component: 'stt',
      status: 'migrating',
      weight: 10,
      step: 0,
      plan: { version: 1, steps: [{ weight: 10, minDurationMs: 172_800_000 }], autoPromote: false },
      evaluatedAt: '2026-12-02T10:00:00.000Z',
      stepTime: { heldMs: 60_000, minMs: 172_800_000, leftMs: 172_740_000 },
      analysis: { startedAt: '2026-12-02T09:59:00.000Z', failingEvaluations: 1, rollbackAfter: 3, lastDecision: 'critical (1/3)' },
      verdict: 'HOLD',
      criteria: [{ id: 'availability', label: 'Availability', comparator: '>', target: 0.995, unit: 'ratio', measured: null, samples: 3, minSamples: 400, verdict: 'INCONCLUSIVE' }],
      gates: { promote: [{ code: 'min_time', message: 'held 1 min' }, { code: 'mood', message: 'x' }], raise: [] },
    });
    expect(c.plan).toMatchObject({
      evaluatedAt: '2026-12-02T10:00:00.000Z',
      steps: [{ weight: 10, minDurationMs: 172_800_000 }],
      stepTime: { heldMs: 60_000, minMs: 172_800_000, leftMs: 172_740_000 },
      analysis: { failingEvaluations: 1, rollbackAfter: 3 },
      verdict: 'HOLD',
      gates: { promote: [{ code: 'min_time', message: 'held 1 min' }, { code: 'other', message: 'x' }], raise: [] },
    });
    expect(c.plan.criteria.map((k) => k.verdict)).toEqual(['INCONCLUSIVE']);
  });

  it('an older gateway without a snapshot reads as nothing known, not as an error', () => {
    expect(normalizeComponent({ component: 'stt' }).plan).toMatchObject({ evaluatedAt: null, stepTime: null, analysis: null, verdict: null, criteria: [], gates: null });
  });
});

describe('normalizeComponent: capacity', () => {
  const capacity = { provider: 'faster-whisper', serviceMs: 250, samples: 120, hosts: 2, slotsPerHost: 1, componentRatePerSec: 4, share: 0.1, utilisationNow: 0.05, nextWeight: 50, atNextStep: 0.25, atFull: 0.5, threshold: 0.8, requestsPerStudentPerSec: 0.1, studentsPerHost: 32, perHost: [] };

  it("reads the self-hosted provider's capacity, and the criterion's forecast text", () => {
    const c = normalizeComponent({ ...sttPayload, capacity, criteria: [{ id: 'capacity', label: 'Capacity at the next step', comparator: '<', target: 0.8, unit: 'ratio', measured: 0.25, samples: 120, minSamples: 20, verdict: 'PASS', detail: 'forecast 25 % busy at 50 %' }] });
    expect(c.capacity).toEqual({ provider: 'faster-whisper', serviceMs: 250, samples: 120, hosts: 2, slotsPerHost: 1, utilisationNow: 0.05, nextWeight: 50, atNextStep: 0.25, atFull: 0.5, threshold: 0.8, studentsPerHost: 32 });
    expect(c.plan.criteria[0]).toMatchObject({ id: 'capacity', detail: 'forecast 25 % busy at 50 %' });
  });

  it('has none for a paid API or an older gateway, and none from garbage', () => {
    expect(normalizeComponent(llmPayload).capacity).toBeNull();
    expect(normalizeComponent({ ...sttPayload, capacity: { serviceMs: 'fast' } }).capacity).toBeNull();
  });
});
