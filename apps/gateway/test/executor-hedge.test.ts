// How a hedged route reports its two attempts, over the lab's wire formats and a recording runtime.
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { SpeechAdapter } from '../src/adapters/index.ts';
import { createGatewayMetrics } from '../src/metrics/index.ts';
import { STALL_AFTER_OVERTAKEN } from '../src/proxy/executor.ts';
import { labExecutor, useLab } from './support/executor-lab.ts';

const world = useLab();

describe('a fallback that answers at once (the browser speaks)', () => {
  it('does not judge the production attempt it overtakes: not a failure of coqui, only counted as overtaken', async () => {
    const registry = new Registry();
    const metrics = createGatewayMetrics(registry);
    const { runtime, exec } = labExecutor(world.lab, { weights: { tts: 100 }, slaMs: 1_500, metrics });
    const speak = () => exec.run('tts', 'eleve-1', (provider, ctx) => exec.adapterFor<SpeechAdapter>(provider, 'speech').synthesize({ text: 'le chat', voice: 'default', speed: 1 }, ctx));

    // The browser's speech measured first (coqui refused: it answers every request at once).
    await world.lab.setFault('coqui', { mode: 'down' });
    for (let i = 0; i < 20; i++) expect((await speak()).provider).toBe('web-speech');
    runtime.attempts.length = 0;

    // coqui slower than the hedge but well within the deadline: the directive wins at the hedge.
    await world.lab.setFault('coqui', { mode: 'slow', latencyMs: 1_000 });
    const result = await speak();
    expect([result.provider, result.route]).toEqual(['web-speech', 'fallback']);
    expect(runtime.attempts.map((a) => [a.provider, a.ok])).toEqual([['web-speech', true]]);
    const overtaken = (await registry.getSingleMetric('bascule_upstream_attempts_total')!.get()).values.filter((v) => v.labels.outcome === 'overtaken');
    expect(overtaken).toEqual([expect.objectContaining({ labels: expect.objectContaining({ provider: 'coqui', route: 'production' }), value: 1 })]);
  });
});

describe('a production provider that stopped answering, behind a fallback that answers at once', () => {
  it('is judged once overtaken more than STALL_AFTER_OVERTAKEN times in a row: its failures then count', async () => {
    const { runtime, exec } = labExecutor(world.lab, { weights: { tts: 100 }, slaMs: 1_500 });
    const speak = () => exec.run('tts', 'eleve-1', (provider, ctx) => exec.adapterFor<SpeechAdapter>(provider, 'speech').synthesize({ text: 'le chat', voice: 'default', speed: 1 }, ctx));
    // The browser's speech measured first (coqui refused), so the hedge's ceiling is known.
    await world.lab.setFault('coqui', { mode: 'down' });
    for (let i = 0; i < 20; i++) await speak();
    runtime.attempts.length = 0;
    // A host cut off: coqui never answers within the deadline; the browser speaks every time.
    await world.lab.setFault('coqui', { mode: 'slow', latencyMs: 10_000 });
    const served: string[] = [];
    for (let i = 0; i < STALL_AFTER_OVERTAKEN + 2; i++) served.push((await speak()).provider);
    expect(served.every((p) => p === 'web-speech')).toBe(true);
    // The first STALL_AFTER_OVERTAKEN are only counted (a healthy provider is overtaken at its tail too);
    // the next ones are timeouts for the breaker and the windows.
    const coqui = runtime.attempts.filter((a) => a.provider === 'coqui');
    expect(coqui.map((a) => [a.ok, a.failure])).toEqual([
      [false, 'timeout'],
      [false, 'timeout'],
    ]);
    // One answer ends the stall: the count starts again.
    await world.lab.setFault('coqui', { mode: 'ok' });
    runtime.attempts.length = 0;
    expect((await speak()).provider).toBe('coqui');
    await world.lab.setFault('coqui', { mode: 'slow', latencyMs: 10_000 });
    await speak();
    expect(runtime.attempts.filter((a) => a.provider === 'coqui').map((a) => a.ok)).toEqual([true]);
  });
});

describe('a slow production provider overtaken by a slower fallback', () => {
  it('is a timeout for the breaker and the windows', async () => {
    const { runtime, chat } = labExecutor(world.lab, { weights: { llm: 100 }, slaMs: 1_500 });
    await world.lab.setFault('groq', { mode: 'slow', latencyMs: 5_000 });
    await world.lab.setFault('huggingface', { mode: 'slow', latencyMs: 900 });
    const result = await chat();
    expect([result.provider, result.route]).toEqual(['huggingface', 'fallback']);
    expect(runtime.attempts.map((a) => [a.provider, a.ok, a.failure])).toEqual([
      ['groq', false, 'timeout'],
      ['huggingface', true, undefined],
    ]);
  });
});
