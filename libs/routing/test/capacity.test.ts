import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_CAPACITY_THRESHOLD,
  capacityText,
  defaultPlan,
  evaluateCriteria,
  forecastCapacity,
  gateBlockers,
  initialState,
  nextStepWeight,
  promote,
  studentsPerHost,
  utilisationAt,
  type CapacityInput,
} from '../src/index.ts';
import { HOUR, stats } from './fixtures.ts';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);

/** 1 000 active students making 133 transcriptions a second (the figures), at the 10 % step. */
const input = (parts: Partial<CapacityInput> = {}): CapacityInput => ({
  componentRatePerSec: 133,
  productionRatePerSec: 13.3,
  serviceMs: 100,
  samples: 500,
  hosts: 1,
  slotsPerHost: 1,
  nextWeight: 50,
  activeStudents: 1_000,
  studentRatePerSec: 133,
  threshold: DEFAULT_CAPACITY_THRESHOLD,
  ...parts,
});

describe('utilisationAt', () => {
  it('is rate × weight × service time over hosts × slots', () => {
    // 133 req/s × 50 % × 0.1 s = 6.65 busy seconds a second on one slot.
    expect(utilisationAt(133, 50, 100, 1, 1)).toBeCloseTo(6.65, 10);
    expect(utilisationAt(133, 50, 100, 7, 1)).toBeCloseTo(0.95, 10);
    expect(utilisationAt(10, 100, 50, 2, 4)).toBeCloseTo(0.0625, 10);
  });

  it('grows linearly with the weight and the service time, and falls with hosts and slots', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1_000, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 5_000, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 16 }),
        (rate, weight, serviceMs, hosts, slots) => {
          const u = utilisationAt(rate, weight, serviceMs, hosts, slots);
          expect(u).toBeGreaterThan(0);
          expect(utilisationAt(rate, Math.min(100, weight * 2), serviceMs, hosts, slots)).toBeGreaterThanOrEqual(u);
          expect(utilisationAt(rate, weight, serviceMs * 2, hosts, slots)).toBeCloseTo(2 * u, 6);
          expect(utilisationAt(rate, weight, serviceMs, hosts * 2, slots)).toBeCloseTo(u / 2, 6);
          expect(utilisationAt(rate, weight, serviceMs, hosts, slots * 2)).toBeCloseTo(u / 2, 6);
        },
      ),
    );
  });
});

describe('studentsPerHost', () => {
  it('is threshold × slots / (service time × requests per student per second)', () => {
    // 0.8 / (0.1 s × 0.133 req/s) ≈ 60 students on one slot.
    expect(studentsPerHost(0.8, 100, 0.133)).toBe(60);
    expect(studentsPerHost(0.8, 100, 0.133, 4)).toBe(240);
  });

  it('is null when the service time or the per-student rate is unknown or zero', () => {
    expect(studentsPerHost(0.8, null, 0.1)).toBeNull();
    expect(studentsPerHost(0.8, 100, null)).toBeNull();
    expect(studentsPerHost(0.8, 0, 0.1)).toBeNull();
    expect(studentsPerHost(0.8, 100, 0)).toBeNull();
  });

  it('serves those students under the threshold: their load at that count never exceeds it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 5_000, noNaN: true }), fc.double({ min: 0.001, max: 2, noNaN: true }), fc.integer({ min: 1, max: 8 }), (serviceMs, perStudent, slots) => {
        const n = studentsPerHost(0.8, serviceMs, perStudent, slots)!;
        expect(utilisationAt(n * perStudent, 100, serviceMs, 1, slots)).toBeLessThanOrEqual(0.8 + 1e-9);
        expect(utilisationAt((n + 1) * perStudent, 100, serviceMs, 1, slots)).toBeGreaterThan(0.8 - 1e-9);
      }),
    );
  });
});

describe('nextStepWeight', () => {
  const plan = defaultPlan('stt');
  it('is the first step above the current weight, the first step before the rollout, null at 100 %', () => {
    const before = initialState(plan, T0);
    expect(nextStepWeight(plan, before)).toBe(10);
    const at10 = promote(plan, before, { actor: 'a', reason: 'r', at: T0 }).state;
    expect(nextStepWeight(plan, at10)).toBe(50);
    expect(nextStepWeight(plan, { ...at10, weight: 60 })).toBe(100);
    expect(nextStepWeight(plan, { ...at10, status: 'production', weight: 100, step: 2 })).toBeNull();
  });
});

describe('forecastCapacity', () => {
  it("forecasts the issue's case: the 10 % step fits one card, the 50 % step does not", () => {
    const f = forecastCapacity(input({ componentRatePerSec: 20, productionRatePerSec: 2 }));
    expect(f.utilisationNow).toBeCloseTo(0.2, 10);
    expect(f.atNextStep).toBeCloseTo(1, 10);
    expect(f.atFull).toBeCloseTo(2, 10);
    expect(f.share).toBeCloseTo(0.1, 10);
    expect(f.requestsPerStudentPerSec).toBeCloseTo(0.133, 10);
    expect(f.studentsPerHost).toBe(60);
  });

  it('has no forecast without a service time, nor without load', () => {
    expect(forecastCapacity(input({ serviceMs: null, samples: 0 }))).toMatchObject({ utilisationNow: null, atNextStep: null, atFull: null, studentsPerHost: null });
    expect(forecastCapacity(input({ componentRatePerSec: 0, productionRatePerSec: 0 }))).toMatchObject({ atNextStep: null, atFull: null, share: null });
  });

  it('says what it forecast', () => {
    const f = forecastCapacity(input({ componentRatePerSec: 2.5, serviceMs: 900 }));
    expect(capacityText(f)).toBe('forecast 112.5 % busy at 50 % (service 900 ms, 2.5 req/s, 1 host × 1 slot; threshold 80 %)');
    expect(capacityText(forecastCapacity(input({ serviceMs: null, samples: 0 })))).toBe('no service-time sample yet');
  });
});

describe('the capacity criterion', () => {
  const plan = defaultPlan('stt');
  const base = { production: stats(), mvp: stats(), quality: { score: 0.97, samples: 100 }, breakerOpen: false, mvpCostPerRequestEur: 0.01 };
  const capacityOf = (forecast: CapacityInput | undefined) => evaluateCriteria(plan.criteria, { ...base, ...(forecast ? { capacity: forecastCapacity(forecast) } : {}) }).criteria.find((c) => c.id === 'capacity')!;

  it("is one of every component's default criteria when production is self-hosted, and not for a paid API", () => {
    for (const component of ['stt', 'tts', 'vision'] as const) expect(defaultPlan(component).criteria.map((c) => c.id)).toContain('capacity');
    expect(defaultPlan('llm', { productionProvider: 'vps-llm' }).criteria.map((c) => c.id)).toContain('capacity');
    expect(defaultPlan('llm').criteria.map((c) => c.id)).not.toContain('capacity'); // groq
  });

  it('PASSes under 80 % at the next step, FAILs over it with the forecast in its text, INCONCLUSIVE without samples', () => {
    expect(capacityOf(input({ componentRatePerSec: 10, serviceMs: 100 }))).toMatchObject({ verdict: 'PASS', measured: 0.5 });
    const fail = capacityOf(input({ componentRatePerSec: 20, serviceMs: 100 }));
    expect(fail).toMatchObject({ verdict: 'FAIL', measured: 1 });
    expect(fail.detail).toMatch(/^forecast 100 % busy at 50 %/);
    expect(capacityOf(input({ serviceMs: 90, samples: 5 })).verdict).toBe('INCONCLUSIVE');
    expect(capacityOf(undefined)).toMatchObject({ verdict: 'INCONCLUSIVE', measured: null, samples: 0 });
  });

  it('judges the load at 100 % once there is no next step', () => {
    expect(capacityOf(input({ componentRatePerSec: 10, serviceMs: 100, nextWeight: null }))).toMatchObject({ verdict: 'FAIL', measured: 1 });
  });

  it('blocks a promotion with the forecast in the reason', () => {
    const at10 = promote(plan, initialState(plan, T0), { actor: 'a', reason: 'r', at: T0 }).state;
    const evaluation = evaluateCriteria(plan.criteria, { ...base, capacity: forecastCapacity(input({ componentRatePerSec: 20, serviceMs: 100 })) });
    const blockers = gateBlockers(plan, at10, 'promote', { evaluation, alerts: [], now: T0 + 48 * HOUR });
    expect(blockers).toHaveLength(1);
    expect(blockers[0]!.message).toMatch(/^GO\/NO-GO is NO-GO \(capacity FAIL: forecast 100 % busy at 50 % \(service 100 ms, 20 req\/s/);
  });
});
