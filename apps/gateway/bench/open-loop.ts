// The open-loop load generator of the bench: requests are due at fixed times drawn from a seeded schedule,
// whatever the target does, and each one's latency is counted from the time it was DUE, not from the time it
// was sent. A closed-loop generator (autocannon) waits for an answer before sending the next request, so a
// stalled target also stops the clock that measures it ("coordinated omission"): a 2 s stall shows up as one
// slow request per connection instead of the two seconds' worth of students who waited. Here, a request that
// falls due while every connection is busy waits in the generator's queue, is counted `late`, and its wait is
// part of its latency: nothing is dropped.
//
// The clock is a parameter, so the accounting is tested with a fake one (test/bench-open-loop.test.ts).

/** Poisson arrivals (exponential gaps: what independent students produce) or evenly spaced ones. */
export type Arrivals = 'poisson' | 'uniform';

/** mulberry32: a small seeded PRNG, so that every target of a run gets the very same schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The due times (ms from the start, ascending) of `ratePerS` requests a second for `durationS` seconds. */
export function schedule(ratePerS: number, durationS: number, arrivals: Arrivals, seed: number): Float64Array {
  if (!(ratePerS > 0) || !(durationS > 0)) throw new Error(`schedule: rate (${ratePerS}) and duration (${durationS}) must be positive`);
  const endMs = durationS * 1_000;
  const gapMs = 1_000 / ratePerS;
  const due: number[] = [];
  if (arrivals === 'uniform') {
    for (let t = 0; t < endMs; t += gapMs) due.push(t);
    return Float64Array.from(due);
  }
  const random = seededRandom(seed);
  // Exponential gaps of mean 1/rate; 1 - u is in (0, 1], so the log is finite.
  for (let t = -Math.log(1 - random()) * gapMs; t < endMs; t += -Math.log(1 - random()) * gapMs) due.push(t);
  return Float64Array.from(due);
}

/** The student of request i: ids spread evenly over `students`, so the per-student state is exercised. */
export function studentOf(index: number, students: number): string {
  return `bench-student-${index % students}`;
}

/** What became of one request: an HTTP status, or a socket-level error (its code: ECONNRESET, UND_ERR_…). */
export type Outcome = { status: number } | { error: string };

/** The clock of the generator: the time in ms and a timer at an absolute time. */
export interface Clock {
  now(): number;
  at(timeMs: number, callback: () => void): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  at: (timeMs, callback) => void setTimeout(callback, Math.max(0, timeMs - performance.now())),
};

export interface OpenLoopOptions {
  /** Due times, ms after the start, ascending. */
  due: ArrayLike<number>;
  /** The most requests in flight at once (the pool's connections). */
  connections: number;
  send(index: number): Promise<Outcome>;
  clock?: Clock;
  /**
   * How long after the last due time the run may go on (default: no limit). A target far behind its schedule
   * (LiteLLM at the rates the Node targets take) would otherwise keep the bench, and the machine, busy for
   * minutes; past the limit the run ends and what was not answered is counted `abandoned`, not as latencies.
   */
  graceMs?: number;
}

export interface OpenLoopRecord {
  /** Latency of each request from its due time to its answer (or error), ms, in completion order. */
  latencyMs: Float64Array;
  /** Requests that fell due while every connection was busy, and waited in the generator. */
  late: number;
  /** The generator's own lateness on requests that found a free connection (its timer and event loop), ms. */
  maxSendLagMs: number;
  statuses: Map<number, number>;
  errors: Map<string, number>;
  /** Requests not answered when the run was cut at its last due time + `graceMs` (their latency is unknown). */
  abandoned: number;
  /** From the first due time to the last answer, ms. */
  elapsedMs: number;
}

/** Sends every request of the schedule at its due time (or as soon as a connection frees), and records. */
export function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopRecord> {
  const { due, connections, send } = options;
  const clock = options.clock ?? realClock;
  const total = due.length;
  const latencyMs = new Float64Array(total);
  const statuses = new Map<number, number>();
  const errors = new Map<string, number>();
  const waiting: number[] = [];
  let waitingHead = 0;
  let next = 0;
  let inFlight = 0;
  let done = 0;
  let late = 0;
  let maxSendLagMs = 0;
  let ended = false;
  const start = clock.now();
  return new Promise((resolve) => {
    const end = (): void => {
      if (ended) return;
      ended = true;
      resolve({ latencyMs: latencyMs.slice(0, done), late, maxSendLagMs, statuses, errors, abandoned: total - done, elapsedMs: clock.now() - start });
    };
    const finish = (index: number, outcome: Outcome): void => {
      if (ended) return;
      inFlight--;
      latencyMs[done++] = clock.now() - (start + due[index]!);
      if ('status' in outcome) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      else errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
      if (waitingHead < waiting.length) launch(waiting[waitingHead++]!);
      if (done === total) end();
    };
    const launch = (index: number): void => {
      inFlight++;
      send(index).then(
        (outcome) => finish(index, outcome),
        (error: unknown) => finish(index, { error: errorCode(error) }),
      );
    };
    const tick = (): void => {
      const now = clock.now();
      while (next < total && start + due[next]! <= now) {
        if (inFlight < connections) {
          maxSendLagMs = Math.max(maxSendLagMs, now - (start + due[next]!));
          launch(next);
        } else {
          late++;
          waiting.push(next);
        }
        next++;
      }
      if (next < total) clock.at(start + due[next]!, tick);
    };
    if (total === 0) end();
    else {
      if (options.graceMs !== undefined) clock.at(start + due[total - 1]! + options.graceMs, end);
      tick();
    }
  });
}

/** An error's code (Node's and undici's errors have one), else its name. */
export function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : 'unknown';
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of the latencies, ms. */
export function summarize(latencyMs: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencyMs).sort();
  const rank = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
  return { count: sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]! };
}
