import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COHORT_BUCKETS,
  classifyFailure,
  cohortBucket,
  defaultPlan,
  executeRoute,
  initialState,
  planRoute,
  promote,
  type AttemptFn,
  type PlannedAttempt,
  type ProviderId,
  type RolloutState,
} from '../src/index.ts';
import { ManualClock } from './fixtures.ts';

const plan = defaultPlan('stt'); // openai-whisper (MVP) → faster-whisper (production), SLA 2000 ms
const at = (weight: number): RolloutState => ({ ...initialState(plan, 0), status: weight === 0 ? 'mvp' : 'migrating', weight, step: 0, stepStartedAt: 0 });
const always = () => true;

// Students whose stt bucket is known: one low (in production at 50 %), one high (MVP at 50 %).
const ids = Array.from({ length: 200 }, (_, i) => `student-${i}`);
const low = ids.find((id) => cohortBucket('stt', id) < 2_000)!;
const high = ids.find((id) => cohortBucket('stt', id) >= 8_000)!;

describe('planRoute', () => {
  it('sends the production cohort to production, with MVP as fallback', () => {
    expect(planRoute({ plan, state: at(50), studentId: low, isAvailable: always })).toEqual({
      cohort: 'production',
      attempts: [
        { provider: 'faster-whisper', route: 'production' },
        { provider: 'openai-whisper', route: 'fallback' },
      ],
    });
  });

  it('sends the MVP cohort to MVP only', () => {
    expect(planRoute({ plan, state: at(50), studentId: high, isAvailable: always })).toEqual({
      cohort: 'mvp',
      attempts: [{ provider: 'openai-whisper', route: 'mvp' }],
    });
  });

  it('sends the production cohort straight to MVP while the breaker is open (route fallback)', () => {
    const asked: ProviderId[] = [];
    const route = planRoute({ plan, state: at(50), studentId: low, isAvailable: (p) => (asked.push(p), false) });
    expect(route).toEqual({ cohort: 'production', attempts: [{ provider: 'openai-whisper', route: 'fallback' }] });
    expect(asked).toEqual(['faster-whisper']);
  });

  it('sends everybody to MVP at weight 0 and during a rollback, and nobody at 100 %', () => {
    const rolledBack: RolloutState = { ...at(0), status: 'rollback' };
    for (const id of ids) {
      expect(planRoute({ plan, state: at(0), studentId: id, isAvailable: always }).cohort).toBe('mvp');
      expect(planRoute({ plan, state: rolledBack, studentId: id, isAvailable: always }).cohort).toBe('mvp');
      expect(planRoute({ plan, state: at(100), studentId: id, isAvailable: always }).cohort).toBe('production');
    }
    expect(COHORT_BUCKETS).toBe(10_000);
  });

  it('follows the state produced by the plan transitions', () => {
    const state = promote(plan, initialState(plan, 0), { actor: 'admin', reason: 'start', at: 0 }).state; // 10 %
    const inProduction = ids.filter((id) => planRoute({ plan, state, studentId: id, isAvailable: always }).cohort === 'production');
    expect(inProduction.every((id) => cohortBucket('stt', id) < 1_000)).toBe(true);
    expect(inProduction.length).toBeGreaterThan(0);
  });
});

describe('executeRoute', () => {
  const both: PlannedAttempt[] = [
    { provider: 'faster-whisper', route: 'production' },
    { provider: 'openai-whisper', route: 'fallback' },
  ];

  /** An attempt that takes `ms` of the injected clock, then answers as scripted per provider. */
  function scripted(clock: ManualClock, script: Partial<Record<ProviderId, { ms: number; answer: 'ok' | 'throw' | ReturnType<typeof classifyFailure>; committed?: boolean; error?: unknown }>>) {
    const calls: Array<{ provider: ProviderId; remainingMs: number; attemptIndex: number; route: string }> = [];
    const attempt: AttemptFn<string> = async (provider, ctx) => {
      calls.push({ provider, ...ctx });
      const step = script[provider]!;
      clock.advance(Math.min(step.ms, ctx.remainingMs));
      if (step.answer === 'ok') return { ok: true, value: `text from ${provider}` };
      if (step.answer === 'throw') throw step.error;
      return { ok: false, failure: step.answer, committed: step.committed };
    };
    return { attempt, calls };
  }

  it('serves from production when it answers', async () => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 300, answer: 'ok' } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: true, value: 'text from faster-whisper', provider: 'faster-whisper', route: 'production' });
    expect(out.attempts).toEqual([{ provider: 'faster-whisper', route: 'production', attemptIndex: 0, startedAt: 0, latencyMs: 300, ok: true, committed: false }]);
    expect(calls).toEqual([{ provider: 'faster-whisper', route: 'production', remainingMs: 2000, attemptIndex: 0 }]);
  });

  it.each([
    ['a 503', classifyFailure({ type: 'status', status: 503 })],
    ['a 429', classifyFailure({ type: 'status', status: 429 })],
    ['a timeout', classifyFailure({ type: 'timeout' })],
    ['a refused connection', classifyFailure({ type: 'connection', code: 'ECONNREFUSED' })],
  ])('falls back to MVP on %s, within the same deadline', async (_, failure) => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 400, answer: failure }, 'openai-whisper': { ms: 500, answer: 'ok' } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: true, provider: 'openai-whisper', route: 'fallback' });
    expect(calls.map((c) => c.remainingMs)).toEqual([2000, 1600]);
    expect(out.attempts.map((a) => [a.provider, a.ok, a.failure?.kind])).toEqual([
      ['faster-whisper', false, failure.kind],
      ['openai-whisper', true, undefined],
    ]);
  });

  it('falls back when the attempt throws a connection reset', async () => {
    const clock = new ManualClock(0);
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { attempt } = scripted(clock, { 'faster-whisper': { ms: 10, answer: 'throw', error }, 'openai-whisper': { ms: 10, answer: 'ok' } });
    expect(await executeRoute(both, attempt, { clock, deadlineAt: 2000 })).toMatchObject({ ok: true, route: 'fallback' });
  });

  it('never retries a client error, and passes bad input through', async () => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 50, answer: classifyFailure({ type: 'status', status: 415 }) } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: false, httpStatus: 415, code: 'client_error', provider: 'faster-whisper' });
    expect(calls).toHaveLength(1);
  });

  it('answers 502 for an upstream 401 (our key, not the client)', async () => {
    const clock = new ManualClock(0);
    const { attempt } = scripted(clock, { 'faster-whisper': { ms: 50, answer: classifyFailure({ type: 'status', status: 401 }) } });
    expect(await executeRoute(both, attempt, { clock, deadlineAt: 2000 })).toMatchObject({ ok: false, httpStatus: 502, code: 'client_error' });
  });

  it('does not replay a stream that already sent bytes', async () => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 200, answer: classifyFailure({ type: 'connection', code: 'ECONNRESET' }), committed: true } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: false, httpStatus: 502, code: 'upstream_failed', route: 'production' });
    expect(out.attempts[0]!.committed).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('answers 504 when production used up the deadline, without calling MVP', async () => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 5000, answer: classifyFailure({ type: 'timeout' }) } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: false, httpStatus: 504, code: 'timeout' });
    expect(calls.map((c) => c.provider)).toEqual(['faster-whisper']);
  });

  it('answers 502 when every provider failed fast', async () => {
    const clock = new ManualClock(0);
    const down = classifyFailure({ type: 'status', status: 503 });
    const { attempt } = scripted(clock, { 'faster-whisper': { ms: 5, answer: down }, 'openai-whisper': { ms: 5, answer: down } });
    const out = await executeRoute(both, attempt, { clock, deadlineAt: 2000 });
    expect(out).toMatchObject({ ok: false, httpStatus: 502, code: 'upstream_failed', provider: 'openai-whisper', route: 'fallback' });
    expect(out.attempts).toHaveLength(2);
  });

  it('stops after maxAttempts', async () => {
    const clock = new ManualClock(0);
    const { attempt, calls } = scripted(clock, { 'faster-whisper': { ms: 5, answer: classifyFailure({ type: 'status', status: 500 }) } });
    expect(await executeRoute(both, attempt, { clock, deadlineAt: 2000, maxAttempts: 1 })).toMatchObject({ ok: false, httpStatus: 502 });
    expect(calls).toHaveLength(1);
  });

  it('answers 504 without calling anyone when the deadline has already passed', async () => {
    const clock = new ManualClock(3000);
    const { attempt, calls } = scripted(clock, {});
    expect(await executeRoute(both, attempt, { clock, deadlineAt: 2000 })).toMatchObject({ ok: false, httpStatus: 504, provider: null });
    expect(calls).toHaveLength(0);
  });

  it('refuses an empty attempt list', async () => {
    await expect(executeRoute([], async () => ({ ok: true, value: 1 }), { clock: new ManualClock(0), deadlineAt: 10 })).rejects.toThrow(/attempts/);
  });

  it('keeps its promises whatever the upstreams do', async () => {
    const answer = fc.record({
      ms: fc.integer({ min: 0, max: 3000 }),
      result: fc.constantFrom('ok', 'timeout', 'connection', 500, 503, 429, 400, 404, 413),
      committed: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 4000 }), async (answers, sla) => {
        const clock = new ManualClock(0);
        const calls: Array<{ remainingMs: number; startedAt: number }> = [];
        const attempt: AttemptFn<number> = async (_provider, ctx) => {
          const a = answers[ctx.attemptIndex]!;
          calls.push({ remainingMs: ctx.remainingMs, startedAt: clock.now() });
          clock.advance(Math.min(a.ms, ctx.remainingMs));
          if (a.result === 'ok') return { ok: true, value: ctx.attemptIndex };
          const failure = typeof a.result === 'number' ? classifyFailure({ type: 'status', status: a.result }) : classifyFailure({ type: a.result });
          return { ok: false, failure, committed: a.committed };
        };
        const out = await executeRoute(both, attempt, { clock, deadlineAt: sla });
        // every call had time left, and was told exactly how much
        for (const c of calls) expect(c.remainingMs).toBe(sla - c.startedAt);
        for (const c of calls) expect(c.remainingMs).toBeGreaterThan(0);
        // a second call only after a transient, uncommitted failure of the first
        const first = out.attempts[0];
        if (calls.length === 2) expect(first?.failure?.class === 'transient' && !first.committed).toBe(true);
        if (out.ok) expect(out.provider).toBe(both[out.attempts.length - 1]!.provider);
        else expect([502, 504, 400, 413]).toContain(out.httpStatus);
        if (!out.ok && out.httpStatus === 504) expect(clock.now() >= sla || out.failure.kind === 'timeout').toBe(true);
        expect(out.attempts).toHaveLength(calls.length);
      }),
      { numRuns: 500 },
    );
  });
});
