// Throughput of the engine's hot paths, on this machine: `nx run routing:bench`.
// Not a test: it prints numbers (operations per second, ms per call) and asserts nothing.
import { performance } from 'node:perf_hooks';
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
  type MinuteRollup,
} from '../src/index.ts';

const clock = { now: () => 1_767_600_000_000 };

function measure(name: string, iterations: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const ms = performance.now() - start;
  console.log(`${name.padEnd(48)} ${Math.round((iterations / ms) * 1000).toLocaleString('en').padStart(12)} /s   ${((ms * 1000) / iterations).toFixed(2)} µs each`);
}

async function main(): Promise<void> {
  const plan = defaultPlan('stt');
  const state = { ...initialState(plan, 0), status: 'migrating' as const, weight: 50, step: 1, stepStartedAt: 0 };
  const breakers = new BreakerRegistry(clock);
  const ids = Array.from({ length: 10_000 }, (_, i) => `élève-${i}`);

  measure('cohortBucket', 1_000_000, (i) => cohortBucket('stt', ids[i % ids.length]!));
  measure('planRoute (with breaker check)', 500_000, (i) => planRoute({ plan, state, studentId: ids[i % ids.length]!, isAvailable: breakers.isAvailable }));

  const route = planRoute({ plan, state: { ...state, weight: 100 }, studentId: 'x', isAvailable: () => true });
  const n = 200_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    await executeRoute(route.attempts, async () => ({ ok: true, value: i }), { clock, deadlineAt: clock.now() + 2000 });
  }
  const ms = performance.now() - start;
  console.log(`${'executeRoute (one successful attempt)'.padEnd(48)} ${Math.round((n / ms) * 1000).toLocaleString('en').padStart(12)} /s   ${((ms * 1000) / n).toFixed(2)} µs each`);

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
