// The bench's open-loop generator: its seeded schedule and its latency accounting, on a fake clock (no timing).
import { describe, expect, it } from 'vitest';
import { runOpenLoop, schedule, studentOf, summarize, type Clock, type Outcome } from '../bench/open-loop.ts';

/** A clock that moves only when told, firing its timers in order. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void }[] = [];
  now(): number {
    return this.time;
  }
  at(timeMs: number, callback: () => void): void {
    this.timers.push({ at: timeMs, callback });
  }
  /** Moves to `timeMs`, firing every timer due by then, and lets the promise callbacks run. */
  async advanceTo(timeMs: number): Promise<void> {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const first = this.timers[0];
      if (!first || first.at > timeMs) break;
      this.timers.shift();
      this.time = Math.max(this.time, first.at);
      first.callback();
      await flush();
    }
    this.time = timeMs;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A target whose answers the test releases one by one. */
function manualTarget() {
  const pending = new Map<number, (outcome: Outcome) => void>();
  const sentAt = new Map<number, number>();
  return {
    pending,
    sentAt,
    send(clock: FakeClock) {
      return (index: number) => {
        sentAt.set(index, clock.now());
        return new Promise<Outcome>((resolve) => pending.set(index, resolve));
      };
    },
    answer(index: number, outcome: Outcome = { status: 200 }) {
      pending.get(index)!(outcome);
      pending.delete(index);
    },
  };
}

describe('open-loop schedule', () => {
  it('is the same for the same seed and different for another', () => {
    expect(Array.from(schedule(500, 2, 'poisson', 7))).toEqual(Array.from(schedule(500, 2, 'poisson', 7)));
    expect(Array.from(schedule(500, 2, 'poisson', 8))).not.toEqual(Array.from(schedule(500, 2, 'poisson', 7)));
  });

  it('draws Poisson arrivals at about the asked rate, ascending, inside the duration', () => {
    const due = Array.from(schedule(1_000, 10, 'poisson', 42));
    expect(due.length).toBeGreaterThan(9_700); // 10 000 expected, sd 100
    expect(due.length).toBeLessThan(10_300);
    expect(due.every((t, i) => t >= 0 && t < 10_000 && (i === 0 || t >= due[i - 1]!))).toBe(true);
    const gaps = due.slice(1).map((t, i) => t - due[i]!);
    // Exponential gaps: about 37 % (e^-1) are longer than the mean gap of 1 ms.
    const longer = gaps.filter((g) => g > 1).length / gaps.length;
    expect(longer).toBeGreaterThan(0.34);
    expect(longer).toBeLessThan(0.40);
  });

  it('spaces uniform arrivals evenly', () => {
    expect(Array.from(schedule(4, 1, 'uniform', 1))).toEqual([0, 250, 500, 750]);
  });

  it('refuses a rate or a duration that is not positive, naming it', () => {
    expect(() => schedule(0, 1, 'uniform', 1)).toThrow(/rate \(0\)/);
    expect(() => schedule(10, -1, 'poisson', 1)).toThrow(/duration \(-1\)/);
  });

  it('spreads requests over the students', () => {
    expect(new Set(Array.from({ length: 3_000 }, (_, i) => studentOf(i, 1_000))).size).toBe(1_000);
  });
});

describe('open-loop latency accounting', () => {
  it('counts a request that waited for a busy connection from its due time, and counts it late', async () => {
    const clock = new FakeClock();
    const target = manualTarget();
    const run = runOpenLoop({ due: [0, 0], connections: 1, send: target.send(clock), clock });
    await clock.advanceTo(0);
    expect([...target.sentAt.keys()]).toEqual([0]); // one connection: the second request waits
    await clock.advanceTo(50);
    target.answer(0);
    await flush();
    expect(target.sentAt.get(1)).toBe(50); // sent at t=50, when the connection freed
    await clock.advanceTo(60);
    target.answer(1);
    const record = await run;
    expect(Array.from(record.latencyMs)).toEqual([50, 60]); // due at 0, answered at 60: 60 ms, not 10
    expect(record.late).toBe(1);
    expect(record.statuses.get(200)).toBe(2);
  });

  it('sends each request at its due time while connections are free, whatever the answers do', async () => {
    const clock = new FakeClock();
    const target = manualTarget();
    const run = runOpenLoop({ due: [0, 10, 20], connections: 8, send: target.send(clock), clock });
    await clock.advanceTo(25);
    expect([...target.sentAt.entries()]).toEqual([[0, 0], [1, 10], [2, 20]]);
    target.answer(2);
    await flush();
    await clock.advanceTo(100);
    target.answer(0, { status: 503 });
    target.answer(1, { error: 'ECONNRESET' });
    const record = await run;
    expect(Array.from(record.latencyMs)).toEqual([5, 100, 90]);
    expect(record.late).toBe(0);
    expect(record.statuses).toEqual(new Map([[200, 1], [503, 1]]));
    expect(record.errors).toEqual(new Map([['ECONNRESET', 1]]));
  });

  it('records a rejected send by its error code and carries on', async () => {
    const clock = new FakeClock();
    const send = (index: number) => (index === 0 ? Promise.reject(Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' })) : Promise.resolve({ status: 200 }));
    const run = runOpenLoop({ due: [0, 1], connections: 1, send, clock });
    await clock.advanceTo(1);
    const record = await run;
    expect(record.errors.get('UND_ERR_SOCKET')).toBe(1);
    expect(record.statuses.get(200)).toBe(1);
  });

  it('ends a run that is too far behind at its grace time, counting what was not answered as abandoned', async () => {
    const clock = new FakeClock();
    const target = manualTarget();
    const run = runOpenLoop({ due: [0, 10, 20], connections: 1, send: target.send(clock), clock, graceMs: 100 });
    await clock.advanceTo(30);
    target.answer(0);
    await flush();
    await clock.advanceTo(120); // the last request was due at 20: the run ends at 120
    const record = await run;
    expect(Array.from(record.latencyMs)).toEqual([30]);
    expect(record.abandoned).toBe(2);
    expect(record.late).toBe(2);
  });
});

describe('latency summary', () => {
  it('takes nearest-rank percentiles and the max', () => {
    const latencies = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 in reverse
    expect(summarize(latencies)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });
});
