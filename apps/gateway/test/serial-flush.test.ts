// The buffers' shared writer: one write at a time, a call during a write runs after it, a failure reaches
// the caller and the next write still runs; a buffer's rows go back when the store refuses them.
import { describe, expect, it } from 'vitest';
import { BufferFlusher, SerialFlush } from '../src/store/serial-flush.ts';

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: Error): void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SerialFlush', () => {
  it('never runs two writes at once: a call during a write starts after it ends', async () => {
    const log: string[] = [];
    const gates = [deferred(), deferred()];
    let n = 0;
    const flush = new SerialFlush(60_000, async () => {
      const i = n++;
      log.push(`start ${i}`);
      await gates[i]!.promise;
      log.push(`end ${i}`);
    });
    const first = flush.run();
    const second = flush.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start 0', 'end 0', 'start 1']);
    gates[1]!.resolve();
    await second;
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
  });

  it('rejects the call whose write failed, and the next write runs', async () => {
    let fail = true;
    let writes = 0;
    const flush = new SerialFlush(60_000, async () => {
      writes += 1;
      if (fail) throw new Error('store away');
    });
    await expect(flush.run()).rejects.toThrow('store away');
    fail = false;
    await expect(flush.run()).resolves.toBeUndefined();
    expect(writes).toBe(2);
  });

  it('writes on its timer once started, and no more once stopped', async () => {
    let writes = 0;
    const flush = new SerialFlush(5, async () => {
      writes += 1;
    });
    flush.start();
    await expect.poll(() => writes, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    flush.stop();
    const stoppedAt = writes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toBeLessThanOrEqual(stoppedAt + 1);
  });
});

describe('BufferFlusher', () => {
  it('puts the taken rows back when the write fails, says so, and writes them with the next flush', async () => {
    let pending = ['minute-1', 'minute-2'];
    const written: string[][] = [];
    const failures: string[] = [];
    let storeUp = false;
    const flusher = new BufferFlusher<string>(60_000, {
      take: () => {
        const rows = pending;
        pending = [];
        return rows;
      },
      write: async (rows) => {
        if (!storeUp) throw new Error('store away');
        written.push([...rows]);
      },
      restore: (rows) => (pending = [...rows, ...pending]),
      failed: (error) => failures.push(`${(error as Error).message}, ${pending.length} pending`),
    });
    await expect(flusher.flush()).rejects.toThrow('store away');
    expect(failures).toEqual(['store away, 2 pending']);
    pending.push('minute-3');
    storeUp = true;
    await flusher.flush();
    expect(written).toEqual([['minute-1', 'minute-2', 'minute-3']]);
    await flusher.flush();
    expect(written).toHaveLength(1); // nothing taken, nothing written
  });
});
