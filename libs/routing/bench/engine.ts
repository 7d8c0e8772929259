// Throughput of the engine's hot paths, on this machine: `nx run routing:bench`.
// Not a test: it prints numbers (operations per second, µs per call) and asserts nothing. Two paths are
// measured side by side with a baseline in the same run, and their ratio printed: the cohort hash against
// murmurhash3js-revisited (the test suite's independent implementation) over the same UTF-8 bytes, and a
// routed call (planRoute + executeRoute) against the naive router it replaces (a coin toss, then the call),
// and a hedged route against the same two attempts in turn (with new abort controllers, and reused ones).
import { performance } from 'node:perf_hooks';
import murmurHash3 from 'murmurhash3js-revisited';
import {
  BreakerRegistry,
  MINUTE_MS,
  SlidingWindow,
  cohortBucket,
  defaultPlan,
  executeRoute,
  initialState,
  mergeRollups,
  planRoute,
  summarize,
  type AttemptContext,
  type ControllerSource,
  type MinuteRollup,
  type PlannedAttempt,
} from '../src/index.ts';

const clock = { now: () => 1_767_600_000_000 };

function report(name: string, iterations: number, ms: number): number {
  const micros = (ms * 1000) / iterations;
  console.log(`${name.padEnd(48)} ${Math.round((iterations / ms) * 1000).toLocaleString('en').padStart(12)} /s   ${micros.toFixed(2)} µs each`);
  return micros;
}

/** Runs `fn` `iterations` times after a warm-up; prints and returns µs per call. */
function measure(name: string, iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return report(name, iterations, performance.now() - start);
}

async function measureAsync(name: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(iterations, 1000); i++) await fn(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return report(name, iterations, performance.now() - start);
}

function ratio(label: string, ours: number, baseline: number): void {
  console.log(`  ratio ${label}: ${(ours / baseline).toFixed(2)} (${(ours - baseline).toFixed(2)} µs a call)`);
}

async function main(): Promise<void> {
  const plan = defaultPlan('stt');
  const state = { ...initialState(plan, 0), status: 'migrating' as const, weight: 50, step: 1, stepStartedAt: 0 };
  const breakers = new BreakerRegistry(clock);
  const ids = Array.from({ length: 10_000 }, (_, i) => `élève-${i}`);

  const encoder = new TextEncoder();
  const ours = measure('cohortBucket (MurmurHash3 over UTF-8, mod 10 000)', 1_000_000, (i) => cohortBucket('stt', ids[i % ids.length]!));
  const theirs = measure('murmurhash3js-revisited, same bytes, mod 10 000', 1_000_000, (i) => murmurHash3.x86.hash32(encoder.encode(`stt:${ids[i % ids.length]!}`), 0) % 10_000);
  ratio('cohortBucket / murmurhash3js-revisited', ours, theirs);

  measure('planRoute (with breaker check)', 500_000, (i) => planRoute({ plan, state, studentId: ids[i % ids.length]!, isAvailable: breakers.isAvailable }));
  const upstream = async (value: unknown) => ({ ok: true as const, value });
  const routed = await measureAsync('planRoute + executeRoute + upstream call', 200_000, (i) => {
    const route = planRoute({ plan, state, studentId: ids[i % ids.length]!, isAvailable: breakers.isAvailable });
    return executeRoute(route.attempts, () => upstream(i), { clock, deadlineAt: clock.now() + 2000 });
  });
  // The router Bascule replaces: a coin toss per request (not sticky, no breaker, no fallback), then the call.
  let coin = 0x9e3779b9;
  const naive = await measureAsync('naive: coin toss + upstream call', 200_000, (i) => {
    coin = (coin * 1_103_515_245 + 12_345) >>> 0;
    return upstream(coin % 100 < state.weight ? i : -i);
  });
  ratio('routed / naive', routed, naive);

  // A route with a fallback, as the gateway runs it: hedged, with real timers and the client's signal, and an
  // attempt that listens to its signal while it runs (as an upstream call does) and answers on a microtask.
  const timers = { set: (fn: () => void, ms: number) => setTimeout(fn, ms), clear: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout) };
  const client = new AbortController().signal;
  const listener = { handleEvent: () => undefined };
  const listening = async (_provider: unknown, ctx: AttemptContext) => {
    const signal = ctx.signal ?? client;
    signal.addEventListener('abort', listener, { once: true });
    await null;
    signal.removeEventListener('abort', listener);
    return { ok: true as const, value: 1 };
  };
  const twoAttempts: PlannedAttempt[] = [
    { provider: 'faster-whisper', route: 'production' },
    { provider: 'openai-whisper', route: 'fallback' },
  ];
  const inTurn = await measureAsync('executeRoute, 2 attempts in turn', 100_000, () => executeRoute(twoAttempts, listening, { clock, deadlineAt: clock.now() + 2000 }));
  const hedgedNew = await measureAsync('executeRoute, hedged, a new controller each', 100_000, () =>
    executeRoute(twoAttempts, listening, { clock, deadlineAt: clock.now() + 2000, hedgeAfterMs: 500, timers, signal: client }),
  );
  const free: AbortController[] = [];
  const reused: ControllerSource = { take: () => free.pop() ?? new AbortController(), give: (c) => void free.push(c) };
  const hedgedReused = await measureAsync('executeRoute, hedged, controllers reused', 100_000, () =>
    executeRoute(twoAttempts, listening, { clock, deadlineAt: clock.now() + 2000, hedgeAfterMs: 500, timers, signal: client, controllers: reused }),
  );
  ratio('hedged (new controllers) / in turn', hedgedNew, inTurn);
  ratio('hedged (reused controllers) / in turn', hedgedReused, inTurn);

  const window = new SlidingWindow({ windowMs: 5 * MINUTE_MS, clock });
  measure('SlidingWindow.record', 1_000_000, (i) =>
    window.record({ at: clock.now(), component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 200 + (i % 1500), ok: i % 50 !== 0, costEur: 0.0001 }),
  );

  // A 7-day window from storage: one rollup a minute for each of three (provider, route) pairs.
  const rollups: MinuteRollup[] = [];
  for (const [provider, route] of [['faster-whisper', 'production'], ['openai-whisper', 'mvp'], ['openai-whisper', 'fallback']] as const) {
    for (let m = 0; m < 7 * 24 * 60; m++) {
      const w = new SlidingWindow({ windowMs: MINUTE_MS, clock: { now: () => m * MINUTE_MS } });
      for (let k = 0; k < 20; k++) w.record({ at: m * MINUTE_MS, component: 'stt', provider, route, latencyMs: 150 + ((m * 31 + k * 97) % 1800), ok: true, costEur: 0.0001 });
      rollups.push(...w.rollups());
    }
  }
  const json = JSON.stringify(rollups);
  console.log(`7-day rollups: ${rollups.length} rows, ${(json.length / 1024 / 1024).toFixed(1)} MiB of JSON (${Math.round(json.length / rollups.length)} bytes a row)`);
  measure('summarize(7 days of rollups, one provider)', 20, () => summarize(rollups, { provider: 'faster-whisper', route: 'production' }));
  measure('JSON.parse + mergeRollups + summarize (7 days)', 5, () => summarize(mergeRollups(JSON.parse(json) as MinuteRollup[])));
}

await main();
