// What the views and the criteria read while the store is away (src/store/last-read.ts): the minutes of the
// last successful read that are still in the window, per component; any other error is not hidden.
import { describe, expect, it } from 'vitest';
import { LastRead } from '../src/store/last-read.ts';
import { StoreUnavailableError } from '../src/store/types.ts';

const away = () => Promise.reject(new StoreUnavailableError(new Error('connection refused')));

describe('LastRead', () => {
  it('falls back on the last rows read for that component, from `since` on, while the store is away', async () => {
    const reads = new LastRead<{ minute: number; n: number }>();
    expect(await reads.since('stt', 0, async () => [{ minute: 60_000, n: 1 }, { minute: 120_000, n: 2 }])).toHaveLength(2);
    expect(await reads.since('stt', 120_000, away)).toEqual([{ minute: 120_000, n: 2 }]);
    expect(await reads.since('llm', 0, away)).toEqual([]);
  });

  it('lets any other failure through', async () => {
    const reads = new LastRead<{ minute: number }>();
    await expect(reads.since('tts', 0, () => Promise.reject(new TypeError('bad row')))).rejects.toThrow('bad row');
  });
});
