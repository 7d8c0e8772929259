// Hedged attempts' abort controllers are reused from one request to the next when nothing holds them any
// more (an AbortSignal is costly to make on Node 20); never one that was aborted, is still listened to, or
// was lent to a stream.
import { describe, expect, it } from 'vitest';
import type { ChatAdapter, ChatStream } from '../src/adapters/index.ts';
import { SignalPool } from '../src/proxy/signal-pool.ts';
import { labExecutor, useLab } from './support/executor-lab.ts';

describe('SignalPool', () => {
  it('hands back a controller given back clean, and makes a new one when empty', () => {
    const pool = new SignalPool();
    const first = pool.take();
    expect(first.signal.aborted).toBe(false);
    pool.give(first);
    expect(pool.pooled).toBe(1);
    expect(pool.take()).toBe(first);
    expect(pool.take()).not.toBe(first);
  });

  it('keeps no aborted controller and none whose signal is still listened to', () => {
    const pool = new SignalPool();
    const aborted = pool.take();
    aborted.abort();
    pool.give(aborted);
    const listened = pool.take();
    listened.signal.addEventListener('abort', () => undefined);
    pool.give(listened);
    expect(pool.pooled).toBe(0);
  });

  it('keeps at most `size` controllers', () => {
    const pool = new SignalPool(2);
    for (let i = 0; i < 3; i++) pool.give(new AbortController());
    expect(pool.pooled).toBe(2);
  });
});

const world = useLab();

describe('the executor', () => {
  it("reuses a whole answer's controller for the next hedged request", async () => {
    const { exec } = labExecutor(world.lab, { weights: { llm: 100 }, slaMs: 1_500 });
    const signals: (AbortSignal | undefined)[] = [];
    const ask = () =>
      exec.run('llm', 'eleve-1', (provider, ctx) => {
        signals.push(ctx.signal);
        return exec.adapterFor<ChatAdapter>(provider, 'chat').complete({ messages: [{ role: 'user', content: 'Bonjour' }] }, ctx);
      });
    expect((await ask()).route).toBe('production');
    expect((await ask()).route).toBe('production');
    expect(signals).toHaveLength(2);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[1]).toBe(signals[0]);
    expect(signals[1]!.aborted).toBe(false);
  });

  it("never reuses a stream's controller: the stream still reads through it after the route ended", async () => {
    const { exec } = labExecutor(world.lab, { weights: { llm: 100 }, slaMs: 1_500 });
    const signals: (AbortSignal | undefined)[] = [];
    const open = async () => {
      const routed = await exec.runStreaming<ChatStream>('llm', 'eleve-1', async (provider, ctx) => {
        signals.push(ctx.signal);
        const stream = await exec.adapterFor<ChatAdapter>(provider, 'chat').stream({ messages: [{ role: 'user', content: 'Bonjour' }], stream: true }, ctx);
        return { value: stream, usage: stream.usage() };
      });
      return routed.value;
    };
    const readAll = async (stream: ChatStream) => {
      let chunks = 0;
      for await (const _ of stream.chunks) chunks++;
      stream.close();
      return chunks;
    };
    expect(await readAll(await open())).toBeGreaterThan(0);
    expect(await readAll(await open())).toBeGreaterThan(0);
    expect(signals).toHaveLength(2);
    expect(signals[1]).not.toBe(signals[0]);
  });
});
