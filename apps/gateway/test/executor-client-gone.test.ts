// A client that leaves before its answer is not the production provider's failure: the executor neither
// reports the cut attempt to the runtime (breaker, windows) nor falls back to the MVP for nobody; the metrics
// count it as `cancelled`. Decision 0007.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../src/metrics/index.ts';
import { labExecutor, useLab } from './support/executor-lab.ts';
import { ClientWatch } from '../src/http/client-signal.ts';

const world = useLab();
const { requestsTo } = world;

/** Yields real event-loop turns until `done()` (no clock involved). */
async function turnsUntil(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100_000; turn += 1) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never met');
}

function setup() {
  const metrics = createGatewayMetrics(new Registry());
  const { runtime, chat } = labExecutor(world.lab, { weights: { llm: 100 }, slaMs: 5_000, metrics });
  const attempts = async () => (await metrics.upstreamAttempts.get()).values.map((v) => [v.labels.provider, v.labels.outcome, v.value]);
  return { runtime, chat, attempts };
}

describe('a client that leaves', () => {
  it('mid-attempt: the attempt is cancelled, not a production failure, and the MVP is not called', async () => {
    await world.lab.setFault('groq', { mode: 'slow', latencyMs: 4_000 });
    const { runtime, chat, attempts } = setup();
    const groqBefore = requestsTo('groq');
    const mvpBefore = requestsTo('huggingface');
    const client = new ClientWatch();
    const answer = chat(client).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await turnsUntil(() => requestsTo('groq') > groqBefore);
    client.abort();
    expect(await answer).not.toBe('answered');
    expect(runtime.attempts).toEqual([]);
    expect(requestsTo('huggingface')).toBe(mvpBefore);
    expect(await attempts()).toEqual([['groq', 'cancelled', 1]]);
  });

  it('before its request is routed: no upstream is called at all', async () => {
    const { runtime, chat, attempts } = setup();
    const groqBefore = requestsTo('groq');
    const mvpBefore = requestsTo('huggingface');
    const client = new ClientWatch();
    client.abort();
    await expect(chat(client)).rejects.toThrow();
    expect(runtime.attempts).toEqual([]);
    expect([requestsTo('groq'), requestsTo('huggingface')]).toEqual([groqBefore, mvpBefore]);
    expect(await attempts()).toEqual([]); // no upstream call was made: no attempt, not even a cancelled one
  });

  it('a provider that fails while the client still waits still falls back (unchanged)', async () => {
    await world.lab.setFault('groq', { mode: 'error', rate: 1 });
    const { runtime, chat } = setup();
    const result = await chat(new ClientWatch());
    expect(result.route).toBe('fallback');
    expect(runtime.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ['groq', false],
      ['huggingface', true],
    ]);
  });
});
