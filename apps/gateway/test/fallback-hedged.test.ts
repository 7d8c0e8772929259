// The hedge at the production provider's measured p95, over the lab at its realistic latencies: a `slow`
// fault on faster-whisper (production, median 300 ms) with openai-whisper (MVP, median 1 000 ms) and the
// 2 s stt deadline, half the class in each cohort. Cutting production at a fixed 60 % of the deadline left
// the MVP 800 ms, less than its median: 504s until the breaker opened. Hedged, the MVP starts once
// production passes its own p95 (early enough for the MVP's own p95 to fit), then at the floor while
// production lags, until the breaker opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spokenWav } from '@bascule/lab';
import { isInProductionCohort } from '@bascule/routing';
import { auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack(undefined, 1);
  stack.setWeight('stt', 50);
});
afterAll(async () => {
  await stack.close();
});

interface Answer {
  status: number;
  provider: string | null;
  route: string | null;
}

async function transcribe(student: string): Promise<Answer> {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(spokenWav('le petit chat'))], { type: 'audio/wav' }), 'a.wav');
  const res = await fetch(`${stack.url}/v1/audio/transcriptions`, { method: 'POST', headers: { ...auth(), 'x-student-id': student }, body });
  await res.arrayBuffer();
  return { status: res.status, provider: res.headers.get('x-bascule-provider'), route: res.headers.get('x-bascule-route') };
}

/** Rounds of students at once, as a class sends them. */
async function traffic(students: string[], perRound: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < students.length; i += perRound) answers.push(...(await Promise.all(students.slice(i, i + perRound).map(transcribe))));
  return answers;
}

const ids = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);
const cohort = (inProduction: boolean, tag: string, n: number) => ids(tag, 20 * n).filter((id) => isInProductionCohort('stt', id, 50) === inProduction).slice(0, n);
const count = (answers: Answer[], f: (a: Answer) => boolean) => answers.filter(f).length;

describe('a slow production provider costs latency, not errors', () => {
  it('serves every production-cohort request while faster-whisper is slow: the MVP started at the hedge answers them', { timeout: 60_000 }, async () => {
    // Both providers healthy first: the gateway measures their p95.
    const warm = await traffic([...cohort(true, 'warm', 28), ...cohort(false, 'warm', 28)], 8);
    expect(count(warm, (a) => a.status === 200)).toBe(56);
    expect(count(warm, (a) => a.provider === 'faster-whisper' && a.route === 'production')).toBeGreaterThanOrEqual(20);
    expect(count(warm, (a) => a.provider === 'openai-whisper' && a.route === 'mvp')).toBeGreaterThanOrEqual(20);

    await stack.lab.setFault('faster-whisper', { mode: 'slow', latencyMs: 10_000 });
    const slow = await traffic(cohort(true, 'slow', 9), 3);
    expect(slow.map((a) => a.status)).toEqual(Array(9).fill(200));
    expect(count(slow, (a) => a.provider === 'openai-whisper' && a.route === 'fallback')).toBe(9);

    // Each overtaken production attempt counted as a timeout: the breaker opened, the next went straight to the MVP.
    expect(stack.gateway.runtime.breakerState('faster-whisper').state).toBe('open');
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/bascule_upstream_attempts_total\{[^}]*provider="faster-whisper"[^}]*route="production"[^}]*outcome="overtaken"[^}]*\} [1-9]/);
  });
});
