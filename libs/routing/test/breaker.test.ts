import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BreakerRegistry, CircuitBreaker, type BreakerState } from '../src/index.ts';
import { ManualClock } from './fixtures.ts';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, and a success resets the count', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 3 });
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.allowRequest()).toBe(false);
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 0, nextProbeAt: 30_000, opens: 1 });
  });

  it('opens on the sampled error rate once the minimum volume is reached', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 100, errorRateThreshold: 0.5, minimumRequests: 20, windowMs: 10_000 });
    // alternate success/failure: 50 % errors but never 2 failures in a row
    for (let i = 0; i < 18; i++) {
      clock.advance(100);
      if (i % 2) breaker.recordFailure();
      else breaker.recordSuccess();
    }
    expect(breaker.state()).toBe('closed'); // 18 < minimum volume
    breaker.recordSuccess();
    breaker.recordFailure(); // 20 calls, 10 errors
    expect(breaker.state()).toBe('open');
  });

  it('forgets failures older than the window', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 100, minimumRequests: 10, windowMs: 10_000, windowBuckets: 10 });
    for (let i = 0; i < 9; i++) breaker.recordFailure();
    for (let i = 0; i < 9; i++) breaker.recordSuccess();
    clock.advance(11_000);
    expect(breaker.snapshot()).toMatchObject({ windowRequests: 0, windowErrors: 0, errorRate: 0 });
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  it('probes after the open duration: one probe at a time, success closes', () => {
    const clock = new ManualClock(0);
    const changes: Array<[BreakerState, BreakerState, number]> = [];
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 1, openMs: 5_000, onStateChange: (c) => changes.push([c.from, c.to, c.at]) });
    breaker.recordFailure();
    clock.advance(4_999);
    expect(breaker.allowRequest()).toBe(false);
    clock.advance(1);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.allowRequest()).toBe(false); // the probe is in flight
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
    expect(changes).toEqual([
      ['closed', 'open', 0],
      ['open', 'half-open', 5_000],
      ['half-open', 'closed', 5_000],
    ]);
  });

  it('re-opens when a probe fails', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 1, openMs: 5_000 });
    breaker.recordFailure();
    clock.advance(5_000);
    expect(breaker.allowRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 5_000, opens: 2 });
  });

  it('needs the configured number of successful probes to close', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 1, openMs: 1_000, halfOpenProbes: 2, halfOpenSuccesses: 2 });
    breaker.recordFailure();
    clock.advance(1_000);
    expect([breaker.allowRequest(), breaker.allowRequest(), breaker.allowRequest()]).toEqual([true, true, false]);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('half-open');
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
  });

  it('frees a probe slot that never reported after the open duration', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(clock, { consecutiveFailures: 1, openMs: 1_000 });
    breaker.recordFailure();
    clock.advance(1_000);
    expect(breaker.allowRequest()).toBe(true);
    clock.advance(999);
    expect(breaker.allowRequest()).toBe(false);
    clock.advance(1);
    expect(breaker.allowRequest()).toBe(true);
  });

  it('rejects bad options, naming them', () => {
    const clock = new ManualClock(0);
    expect(() => new CircuitBreaker(clock, { consecutiveFailures: 0 })).toThrow(/breaker\.consecutiveFailures/);
    expect(() => new CircuitBreaker(clock, { errorRateThreshold: 1.5 })).toThrow(/breaker\.errorRateThreshold/);
    expect(() => new CircuitBreaker(clock, { openMs: -1 })).toThrow(/breaker\.openMs/);
  });

  it('never lets a call through while open, whatever the sequence', () => {
    const op = fc.oneof(fc.constant('ok' as const), fc.constant('fail' as const), fc.constant('ask' as const), fc.integer({ min: 1, max: 20_000 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const clock = new ManualClock(0);
        const breaker = new CircuitBreaker(clock, { consecutiveFailures: 3, minimumRequests: 5, openMs: 10_000 });
        for (const o of ops) {
          if (o === 'ok') breaker.recordSuccess();
          else if (o === 'fail') breaker.recordFailure();
          else if (o === 'ask') {
            const state = breaker.state();
            const allowed = breaker.allowRequest();
            if (state === 'open') expect(allowed).toBe(false);
            if (state === 'closed') expect(allowed).toBe(true);
          } else clock.advance(o);
          const s = breaker.snapshot();
          expect(s.windowErrors).toBeLessThanOrEqual(s.windowRequests);
        }
      }),
    );
  });
});

describe('CircuitBreaker against its rule', () => {
  // The rule, restated from the design: a closed breaker opens on a failure exactly when the consecutive
  // failures reach N or the window (with the minimum volume) reaches the error rate; a half-open one closes on
  // a successful probe and re-opens on a failed one; an open one half-opens after openMs.
  const options = { consecutiveFailures: 6, errorRateThreshold: 0.5, minimumRequests: 10, windowMs: 10_000, windowBuckets: 5, openMs: 5_000 };
  const op = fc.oneof(
    { weight: 3, arbitrary: fc.constant('ok' as const) },
    { weight: 3, arbitrary: fc.constant('fail' as const) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 12_000 }) },
  );

  it('opens, half-opens and closes exactly when the rule says, whatever the sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const clock = new ManualClock(0);
        const breaker = new CircuitBreaker(clock, options);
        for (const o of ops) {
          if (typeof o === 'number') {
            const before = breaker.snapshot();
            clock.advance(o);
            if (before.state === 'open') expect(breaker.state()).toBe(clock.now() >= before.nextProbeAt! ? 'half-open' : 'open');
            continue;
          }
          const before = breaker.state();
          if (!breaker.allowRequest()) {
            expect(before).not.toBe('closed');
            continue; // an open breaker (or a busy probe) lets nothing through: nothing to report
          }
          if (o === 'ok') breaker.recordSuccess();
          else breaker.recordFailure();
          const after = breaker.snapshot();
          if (before === 'half-open') expect(after.state).toBe(o === 'ok' ? 'closed' : 'open');
          if (before === 'closed' && o === 'ok') expect(after.state).toBe('closed');
          if (before === 'closed' && o === 'fail') {
            const byRate = after.windowRequests >= options.minimumRequests && after.windowErrors / after.windowRequests >= options.errorRateThreshold;
            expect(after.state).toBe(after.consecutiveFailures >= options.consecutiveFailures || byRate ? 'open' : 'closed');
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('BreakerRegistry', () => {
  it('keeps one breaker per provider, with per-provider settings', () => {
    const clock = new ManualClock(0);
    const changes: string[] = [];
    const registry = new BreakerRegistry(clock, {
      consecutiveFailures: 5,
      perProvider: { 'faster-whisper': { consecutiveFailures: 1 } },
      onStateChange: (c) => changes.push(`${c.provider}:${c.to}`),
    });
    registry.get('faster-whisper').recordFailure();
    registry.get('openai-whisper').recordFailure();
    expect(registry.get('faster-whisper')).toBe(registry.get('faster-whisper'));
    expect(registry.isAvailable('faster-whisper')).toBe(false);
    expect(registry.isAvailable('openai-whisper')).toBe(true);
    expect(changes).toEqual(['faster-whisper:open']);
    expect(registry.snapshot()).toMatchObject({ 'faster-whisper': { state: 'open' }, 'openai-whisper': { state: 'closed', consecutiveFailures: 1 } });
  });
});
