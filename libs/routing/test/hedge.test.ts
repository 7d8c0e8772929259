import { describe, expect, it } from 'vitest';
import {
  cohortBucket,
  defaultPlan,
  executeRoute,
  hedgeCeilingMs,
  hedgeDelayMs,
  initialState,
  lastMomentDelayMs,
  LatencyTracker,
  planRoute,
  type AttemptContext,
  type AttemptResult,
  type ControllerSource,
  type PlannedAttempt,
  type ProviderId,
  type RolloutState,
  type Timers,
} from '../src/index.ts';
import { ManualClock } from './fixtures.ts';

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    for (const [id, t] of [...this.pending]) {
      this.pending.delete(id);
      t.fn();
    }
  }
}

/** An attempt the test settles by hand, with what it was given. */
interface Call {
  provider: ProviderId;
  ctx: AttemptContext;
  resolve(result: AttemptResult<string>): void;
  reject(error: unknown): void;
}

function harness(hedgeAfterMs = 300, controllers?: ControllerSource) {
  const clock = new ManualClock();
  const timers = new ManualTimers();
  const calls: Call[] = [];
  const client = new AbortController();
  const attempts: PlannedAttempt[] = [
    { provider: 'faster-whisper', route: 'production' },
    { provider: 'openai-whisper', route: 'fallback' },
  ];
  const outcome = executeRoute<string>(
    attempts,
    (provider, ctx) => new Promise((resolve, reject) => calls.push({ provider, ctx, resolve, reject })),
    { clock, deadlineAt: clock.now() + 2_000, hedgeAfterMs, timers, signal: client.signal, ...(controllers ? { controllers } : {}) },
  );
  return { clock, timers, calls, client, outcome };
}

const flush = () => new Promise((r) => setImmediate(r));

/** A controller source that records what it lends and what comes back. */
class RecordingSource implements ControllerSource {
  readonly lent: AbortController[] = [];
  readonly returned: AbortController[] = [];
  take(): AbortController {
    const c = new AbortController();
    this.lent.push(c);
    return c;
  }
  give(c: AbortController): void {
    this.returned.push(c);
  }
}
const ok = (value: string): AttemptResult<string> => ({ ok: true, value });

describe('LatencyTracker', () => {
  it('gives the nearest-rank p95 of the samples it holds, null without any', () => {
    const t = new LatencyTracker(256, 1);
    expect(t.p95()).toBeNull();
    for (let ms = 1; ms <= 100; ms++) t.observe(ms);
    expect(t.p95()).toBe(95);
    expect(t.samples).toBe(100);
  });

  it('keeps only the last `size` samples and ignores nonsense', () => {
    const t = new LatencyTracker(10, 1);
    for (let i = 0; i < 50; i++) t.observe(1_000);
    for (let i = 0; i < 10; i++) t.observe(100);
    t.observe(Number.NaN);
    t.observe(-5);
    expect(t.samples).toBe(10);
    expect(t.p95()).toBe(100);
  });
});

describe('hedgeDelayMs', () => {
  const tracker = (ms: number, n = 40) => {
    const t = new LatencyTracker(256, 1);
    for (let i = 0; i < n; i++) t.observe(ms);
    return t;
  };

  it('hedges at a quarter of the deadline before the first provider has enough samples', () => {
    expect(hedgeDelayMs(2_000, undefined, undefined)).toBe(500);
    expect(hedgeDelayMs(2_000, tracker(300, 5), undefined)).toBe(500);
  });

  it("hedges at the first provider's p95 once measured", () => {
    expect(hedgeDelayMs(2_000, tracker(450), tracker(1_000))).toBe(450);
  });

  it('hedges early enough for the second provider to answer within the deadline (its p95)', () => {
    expect(hedgeDelayMs(2_000, tracker(900), tracker(1_600))).toBe(400);
  });

  it('hedges at the floor while the first provider lags (its last call overtaken or timed out), until it answers again', () => {
    const first = tracker(450);
    first.lag();
    expect(hedgeDelayMs(2_000, first, tracker(1_000))).toBe(200);
    first.observe(400);
    expect(hedgeDelayMs(2_000, first, tracker(1_000))).toBe(450);
  });

  it('never hedges below the floor (a tenth of the deadline), even for a fallback slower than the deadline', () => {
    expect(hedgeDelayMs(2_000, tracker(20), tracker(1_000))).toBe(200);
    expect(hedgeDelayMs(2_000, tracker(900), tracker(2_500))).toBe(200);
  });
});

describe('hedgeCeilingMs and lastMomentDelayMs', () => {
  const tracker = (ms: number, n = 40) => {
    const t = new LatencyTracker(256, 1);
    for (let i = 0; i < n; i++) t.observe(ms);
    return t;
  };

  it('leaves the second provider its p95 (a quarter of the deadline before it is measured), never below the floor', () => {
    expect(hedgeCeilingMs(2_000, tracker(1_600))).toBe(400);
    expect(hedgeCeilingMs(2_000, tracker(1))).toBe(1_999);
    expect(hedgeCeilingMs(2_000, undefined)).toBe(500);
    expect(hedgeCeilingMs(2_000, tracker(3_000))).toBe(200);
  });

  it("starts the MVP's fallback at the last moment that leaves the candidate its p95 (40 % of the deadline unmeasured)", () => {
    expect(lastMomentDelayMs(2_000, tracker(450))).toBe(1_550);
    expect(lastMomentDelayMs(2_000, undefined)).toBe(1_200);
    expect(lastMomentDelayMs(2_000, tracker(1_950))).toBe(200);
  });
});

describe('executeRoute, hedged', () => {
  it('serves from the first provider when it answers before the hedge: one attempt, the hedge cancelled', async () => {
    const h = harness();
    await flush();
    expect(h.calls.map((c) => c.provider)).toEqual(['faster-whisper']);
    h.clock.advance(120);
    h.calls[0]!.resolve(ok('fast'));
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ ok: true, value: 'fast', provider: 'faster-whisper', route: 'production' });
    expect(outcome.attempts).toHaveLength(1);
    expect(h.timers.pending.size).toBe(0);
  });

  it('starts the fallback at the hedge delay; its answer wins and the overtaken first attempt is aborted as a timeout', async () => {
    const h = harness(300);
    await flush();
    expect([...h.timers.pending.values()].map((t) => t.ms)).toEqual([300]);
    h.clock.advance(300);
    h.timers.fireAll();
    expect(h.calls.map((c) => [c.provider, c.ctx.route, c.ctx.remainingMs])).toEqual([
      ['faster-whisper', 'production', 2_000],
      ['openai-whisper', 'fallback', 1_700],
    ]);
    h.clock.advance(1_000);
    h.calls[1]!.resolve(ok('from the MVP'));
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ ok: true, value: 'from the MVP', provider: 'openai-whisper', route: 'fallback' });
    expect(h.calls[0]!.ctx.signal!.aborted).toBe(true);
    expect(h.calls[1]!.ctx.signal!.aborted).toBe(false);
    expect(outcome.attempts[0]).toMatchObject({ provider: 'faster-whisper', ok: false, lostRace: 'overtaken', latencyMs: 1_300, failure: { class: 'transient', kind: 'timeout' } });
    expect(outcome.attempts[1]).toMatchObject({ provider: 'openai-whisper', ok: true, latencyMs: 1_000 });
    // The loser's late answer changes nothing.
    h.calls[0]!.resolve(ok('too late'));
    await flush();
    expect(outcome.attempts[0]!.ok).toBe(false);
  });

  it('keeps the first answer when the first provider answers after the hedge started: the hedge is cancelled, not judged', async () => {
    const h = harness(300);
    await flush();
    h.clock.advance(300);
    h.timers.fireAll();
    h.clock.advance(50);
    h.calls[0]!.resolve(ok('production, a bit late'));
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ ok: true, provider: 'faster-whisper', route: 'production' });
    expect(h.calls[1]!.ctx.signal!.aborted).toBe(true);
    expect(outcome.attempts[1]).toMatchObject({ provider: 'openai-whisper', lostRace: 'cancelled' });
    expect(outcome.attempts[1]!.failure).toBeUndefined();
  });

  it('starts the fallback at once when the first provider fails before the hedge', async () => {
    const h = harness(300);
    await flush();
    h.clock.advance(20);
    h.calls[0]!.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await flush();
    expect(h.calls.map((c) => [c.provider, c.ctx.remainingMs])).toEqual([
      ['faster-whisper', 2_000],
      ['openai-whisper', 1_980],
    ]);
    h.timers.fireAll(); // the hedge finds nothing left to start
    expect(h.calls).toHaveLength(2);
    h.calls[1]!.resolve(ok('mvp'));
    expect(await h.outcome).toMatchObject({ ok: true, provider: 'openai-whisper', route: 'fallback' });
  });

  it('fails with 502 when both fail, and 504 when the last one to fail timed out', async () => {
    const h = harness(300);
    await flush();
    h.timers.fireAll();
    h.calls[1]!.resolve({ ok: false, failure: { class: 'transient', kind: 'server', status: 503, message: 'down' } });
    await flush();
    h.calls[0]!.resolve({ ok: false, failure: { class: 'transient', kind: 'server', status: 500, message: 'boom' } });
    expect(await h.outcome).toMatchObject({ ok: false, httpStatus: 502, code: 'upstream_failed', provider: 'faster-whisper' });

    const t = harness(300);
    await flush();
    t.timers.fireAll();
    t.calls[0]!.resolve({ ok: false, failure: { class: 'transient', kind: 'server', status: 500, message: 'boom' } });
    await flush();
    t.clock.advance(2_000);
    t.calls[1]!.reject(new DOMException('no answer within 1700 ms', 'TimeoutError'));
    expect(await t.outcome).toMatchObject({ ok: false, httpStatus: 504, code: 'timeout' });
  });

  it('returns a client error at once and aborts the other attempt', async () => {
    const h = harness(300);
    await flush();
    h.timers.fireAll();
    h.calls[1]!.resolve({ ok: false, failure: { class: 'client', kind: 'client', status: 400, message: 'bad audio' } });
    const outcome = await h.outcome;
    expect(outcome).toMatchObject({ ok: false, httpStatus: 400, code: 'client_error' });
    expect(h.calls[0]!.ctx.signal!.aborted).toBe(true);
    expect(outcome.attempts[0]!.lostRace).toBe('cancelled');
  });

  it("aborts every attempt's signal when the client leaves", async () => {
    const h = harness(300);
    await flush();
    h.timers.fireAll();
    h.client.abort();
    expect(h.calls.map((c) => c.ctx.signal!.aborted)).toEqual([true, true]);
    h.calls[0]!.reject(Object.assign(new Error('gone'), { committed: true }));
    const outcome = await h.outcome;
    expect(outcome.ok).toBe(false);
  });

  it("takes its attempts' controllers from the source given, and gives back only the settled attempts' ones", async () => {
    const source = new RecordingSource();
    const h = harness(300, source);
    await flush();
    h.timers.fireAll(); // the hedge starts
    h.calls[1]!.resolve(ok('from the MVP'));
    await h.outcome;
    expect(h.calls.map((c) => c.ctx.signal)).toEqual(source.lent.map((c) => c.signal));
    // The first attempt, overtaken, is aborted and kept; the winner's controller goes back, not aborted.
    expect(source.returned).toEqual([source.lent[1]]);
    expect(source.lent.map((c) => c.signal.aborted)).toEqual([true, false]);
  });

  it('gives back the controller of an attempt that failed before the one that answered', async () => {
    const source = new RecordingSource();
    const h = harness(300, source);
    await flush();
    h.calls[0]!.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await flush();
    h.calls[1]!.resolve(ok('from the MVP'));
    await h.outcome;
    expect(source.returned).toEqual(source.lent);
  });

  it('gives back nothing the client aborted', async () => {
    const source = new RecordingSource();
    const h = harness(300, source);
    await flush();
    h.client.abort();
    h.calls[0]!.reject(Object.assign(new Error('gone'), { committed: true }));
    await h.outcome;
    expect(source.lent).toHaveLength(1);
    expect(source.returned).toEqual([]);
  });

  it('does not schedule a hedge past the deadline', async () => {
    const h = harness(5_000);
    await flush();
    expect(h.timers.pending.size).toBe(0);
    h.calls[0]!.resolve(ok('x'));
    await h.outcome;
  });
});

describe('planRoute, the candidate as the MVP fallback', () => {
  const plan = defaultPlan('stt');
  const state = (status: RolloutState['status'], weight: number): RolloutState => ({ ...initialState(plan, 0), status, weight });
  const mvpStudent = Array.from({ length: 200 }, (_, i) => `student-${i}`).find((id) => cohortBucket('stt', id) >= 8_000)!;
  const always = () => true;

  it('adds the candidate after the MVP once the migration has started and its breaker is closed', () => {
    for (const s of [state('migrating', 0), state('migrating', 50), state('rollback', 0)]) {
      expect(planRoute({ plan, state: s, studentId: mvpStudent, isAvailable: always, isHealthy: always }).attempts).toEqual([
        { provider: 'openai-whisper', route: 'mvp' },
        { provider: 'faster-whisper', route: 'fallback' },
      ]);
    }
  });

  it('keeps the MVP alone before the migration starts, while the candidate is unhealthy, or without a health check', () => {
    const mvpOnly = [{ provider: 'openai-whisper', route: 'mvp' }];
    expect(planRoute({ plan, state: state('mvp', 0), studentId: mvpStudent, isAvailable: always, isHealthy: always }).attempts).toEqual(mvpOnly);
    const asked: ProviderId[] = [];
    expect(planRoute({ plan, state: state('migrating', 0), studentId: mvpStudent, isAvailable: always, isHealthy: (p) => (asked.push(p), false) }).attempts).toEqual(mvpOnly);
    expect(asked).toEqual(['faster-whisper']);
    expect(planRoute({ plan, state: state('migrating', 0), studentId: mvpStudent, isAvailable: always }).attempts).toEqual(mvpOnly);
  });

  it('adds it before the migration starts when the candidate is on standby (deployed and warm)', () => {
    expect(planRoute({ plan, state: state('mvp', 0), studentId: mvpStudent, isAvailable: always, isHealthy: always, candidateStandby: true }).attempts).toEqual([
      { provider: 'openai-whisper', route: 'mvp' },
      { provider: 'faster-whisper', route: 'fallback' },
    ]);
    expect(planRoute({ plan, state: state('mvp', 0), studentId: mvpStudent, isAvailable: always, isHealthy: () => false, candidateStandby: true }).attempts).toHaveLength(1);
  });
});
