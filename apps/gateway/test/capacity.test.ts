// The gateway side of capacity: the busy header read off an answer, each host's measured service time, the
// step's busiest minute, and the forecast handed to the engine.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultPlan, emptyHistogram, initialState, promote, type MinuteRollup } from '@bascule/routing';
import { HostPool } from '../src/adapters/hosts.ts';
import { CapacityForecaster, PeakRates, ServiceTimeMeter, measuredService, recordBusyFromHeaders, recordBusyFromRaw } from '../src/capacity/index.ts';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const MINUTE = 60_000;

function rollup(minute: number, provider: MinuteRollup['provider'], route: MinuteRollup['route'], count: number): MinuteRollup {
  return { minute, component: 'tts', provider, route, count, errors: 0, latencySumMs: 0, costEur: 0, histogram: emptyHistogram() };
}

describe('ServiceTimeMeter', () => {
  it('starts at the first sample, then follows the samples as an exponentially weighted mean', () => {
    const meter = new ServiceTimeMeter(0.5);
    expect(meter.snapshot()).toEqual({ meanMs: null, samples: 0 });
    meter.record(100);
    meter.record(200);
    expect(meter.snapshot()).toEqual({ meanMs: 150, samples: 2 });
  });

  it('ignores what is not a time', () => {
    const meter = new ServiceTimeMeter();
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) meter.record(bad);
    expect(meter.snapshot().samples).toBe(0);
  });

  it('stays between the smallest and the largest sample, and converges to a constant one', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 200 }), (samples) => {
        const meter = new ServiceTimeMeter();
        for (const s of samples) meter.record(s);
        const mean = meter.snapshot().meanMs!;
        expect(mean).toBeGreaterThanOrEqual(Math.min(...samples) - 1e-9);
        expect(mean).toBeLessThanOrEqual(Math.max(...samples) + 1e-9);
        for (let i = 0; i < 200; i++) meter.record(42);
        expect(meter.snapshot().meanMs!).toBeCloseTo(42, 3);
      }),
    );
  });
});

describe('the busy header', () => {
  it('is read from raw headers whatever its case, and from a parsed header object', () => {
    const meter = new ServiceTimeMeter(1);
    recordBusyFromRaw([Buffer.from('content-type'), Buffer.from('application/json'), Buffer.from('X-Bascule-Busy-Ms'), Buffer.from('87.5')], meter);
    expect(meter.snapshot()).toEqual({ meanMs: 87.5, samples: 1 });
    recordBusyFromHeaders({ 'x-bascule-busy-ms': '12' }, meter);
    expect(meter.snapshot()).toEqual({ meanMs: 12, samples: 2 });
  });

  it('counts no sample when it is absent, empty or not a number', () => {
    const meter = new ServiceTimeMeter();
    recordBusyFromRaw([Buffer.from('x-bascule-latency'), Buffer.from('5')], meter);
    recordBusyFromRaw([Buffer.from('x-bascule-busy-ms'), Buffer.from('')], meter);
    recordBusyFromHeaders({ 'x-bascule-busy-ms': 'fast' }, meter);
    recordBusyFromHeaders({}, meter);
    expect(meter.snapshot().samples).toBe(0);
  });
});

describe('measuredService', () => {
  it("weights each host's mean by its samples; a paid API's hosts measure nothing", () => {
    const pool = new HostPool('coqui', ['http://10.0.0.2:8000', 'http://10.0.0.3:8000', 'http://10.0.0.4:8000']);
    for (let i = 0; i < 3; i++) pool.hosts[0]!.service!.record(100);
    pool.hosts[1]!.service!.record(300);
    expect(measuredService(pool)).toEqual({
      serviceMs: 150,
      samples: 4,
      hosts: 3,
      perHost: [
        { host: '10.0.0.2:8000', serviceMs: 100, samples: 3 },
        { host: '10.0.0.3:8000', serviceMs: 300, samples: 1 },
        { host: '10.0.0.4:8000', serviceMs: null, samples: 0 },
      ],
    });
    expect(new HostPool('groq', ['http://10.0.0.5:8000']).hosts[0]!.service).toBeUndefined();
  });
});

describe('PeakRates', () => {
  it("keeps the step's busiest minute across reads, and starts again with a new step", () => {
    const peaks = new PeakRates();
    expect(peaks.observe('tts', T0, [rollup(T0, 'coqui', 'production', 60), rollup(T0, 'web-speech', 'mvp', 60), rollup(T0 + MINUTE, 'web-speech', 'mvp', 30)])).toBe(2);
    expect(peaks.observe('tts', T0, [rollup(T0 + 2 * MINUTE, 'web-speech', 'mvp', 6)])).toBe(2);
    expect(peaks.observe('tts', T0 + 3 * MINUTE, [rollup(T0 + 3 * MINUTE, 'web-speech', 'mvp', 6)])).toBe(0.1);
  });

  it('counts a request that fell back once (its production attempt), not twice', () => {
    const peaks = new PeakRates();
    expect(peaks.observe('tts', T0, [rollup(T0, 'coqui', 'production', 60), rollup(T0, 'web-speech', 'fallback', 60)])).toBe(1);
  });

  it("counts no shadow call: the comparison's calls are the gateway's, not the students' load", () => {
    const peaks = new PeakRates();
    expect(peaks.observe('tts', T0, [rollup(T0, 'web-speech', 'mvp', 60), rollup(T0, 'coqui', 'shadow', 12)])).toBe(1);
  });
});

describe('CapacityForecaster', () => {
  const plan = defaultPlan('tts');
  const state = promote(plan, initialState(plan, T0), { actor: 'a', reason: 'r', at: T0 }).state;

  it('forecasts the production provider from its hosts, the busiest minute and the active students', () => {
    const pool = new HostPool('coqui', ['http://10.0.0.2:8000']);
    for (let i = 0; i < 30; i++) pool.hosts[0]!.service!.record(900);
    const forecaster = new CapacityForecaster(new Map([['coqui', pool]]), () => 2);
    // 150 requests in the busiest minute (2.5 req/s), 15 of them on coqui; 150 in the 5-minute window from 50 students.
    const c = forecaster.read({ plan, state, rollups: [rollup(T0, 'coqui', 'production', 15), rollup(T0, 'web-speech', 'mvp', 135)], windowMs: 5 * MINUTE, activeStudents: 50 })!;
    expect(c).toMatchObject({ provider: 'coqui', serviceMs: 900, samples: 30, hosts: 1, slotsPerHost: 2, componentRatePerSec: 2.5, nextWeight: 50, threshold: 0.8 });
    expect(c.share).toBeCloseTo(0.1, 10);
    expect(c.utilisationNow).toBeCloseTo((0.25 * 0.9) / 2, 10);
    expect(c.atNextStep).toBeCloseTo((2.5 * 0.5 * 0.9) / 2, 10);
    expect(c.atFull).toBeCloseTo((2.5 * 0.9) / 2, 10);
    expect(c.requestsPerStudentPerSec).toBeCloseTo(0.01, 10);
    // 0.8 × 2 slots / (0.9 s × 0.01 req/s) = 177.8
    expect(c.studentsPerHost).toBe(177);
  });

  it('has nothing to say about a provider that is not ours', () => {
    const llm = defaultPlan('llm');
    const forecaster = new CapacityForecaster(new Map([['groq', new HostPool('groq', ['http://10.0.0.5:8000'])]]));
    expect(forecaster.read({ plan: llm, state: initialState(llm, T0), rollups: [], windowMs: 5 * MINUTE, activeStudents: 0 })).toBeUndefined();
  });
});
