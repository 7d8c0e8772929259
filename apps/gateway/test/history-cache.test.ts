// The history's settled buckets are merged once: a chart's poll reads only the recent minutes again, and
// answers exactly what a full read would.
import { describe, expect, it } from 'vitest';
import { emptyHistogram, recordLatency, MINUTE_MS, type MinuteRollup } from '@bascule/routing';
import { SqliteStore as Store } from '../src/store/index.ts';
import { bucketRollups, HistoryCache, historyStart } from '../src/migration/history.ts';

const HOUR = 3_600_000;

function rollup(minute: number, latencies: number[], route: MinuteRollup['route'] = 'mvp'): MinuteRollup {
  const histogram = emptyHistogram();
  latencies.forEach((l) => recordLatency(histogram, l));
  return { minute, component: 'tts', provider: route === 'production' ? 'coqui' : 'web-speech', route, count: latencies.length, errors: 0, latencySumMs: latencies.reduce((a, b) => a + b, 0), costEur: 0.001 * latencies.length, histogram };
}

/** A store that counts the minutes it hands out. */
function countingStore(): { store: Store; read: () => number } {
  const store = new Store(':memory:');
  let read = 0;
  const original = store.rollupsSince.bind(store);
  store.rollupsSince = async (since, component) => {
    const rows = await original(since, component);
    read += rows.length;
    return rows;
  };
  return { store, read: () => read };
}

describe('history cache', () => {
  const now = Date.UTC(2026, 11, 5, 12, 34, 56);

  it('reads the settled minutes once, then only the recent ones, and answers as a full read would', async () => {
    const { store, read } = countingStore();
    const minutes: MinuteRollup[] = [];
    for (let m = historyStart('7d', now); m <= now; m += 7 * MINUTE_MS) minutes.push(rollup(m, [100 + (m % 900)], m % 2 ? 'production' : 'mvp'));
    await store.addRollups(minutes);
    const cache = new HistoryCache(store);
    const first = await cache.rollups('tts', '7d', now, []);
    expect(first).toEqual(bucketRollups(minutes, HOUR));
    const afterFirst = read();
    expect(afterFirst).toBe(minutes.length);

    const later = now + 20_000;
    const fresh = rollup(Math.floor(later / MINUTE_MS) * MINUTE_MS, [250], 'production');
    await store.addRollups([fresh]);
    const second = await cache.rollups('tts', '7d', later, []);
    expect(second).toEqual(bucketRollups([...minutes, fresh], HOUR));
    // Only the unsettled hour (the last 10 minutes fall in it) was read again.
    expect(read() - afterFirst).toBeLessThan(15);
    await store.close();
  });

  it('includes the unflushed minutes, and forgets buckets that left the range', async () => {
    const { store } = countingStore();
    const old = rollup(historyStart('48h', now), [300]);
    await store.addRollups([old]);
    const cache = new HistoryCache(store);
    const unflushed = [rollup(Math.floor(now / MINUTE_MS) * MINUTE_MS, [120, 140], 'production')];
    const first = await cache.rollups('tts', '48h', now, unflushed);
    expect(first.map((r) => r.count)).toEqual([1, 2]);
    // The loop flushes every few seconds: the minute is in the store long before its bucket settles.
    await store.addRollups(unflushed);
    // A day later the old bucket is out of the 48 h range.
    expect((await cache.rollups('tts', '48h', now + 24 * HOUR, [])).filter((r) => r.minute === old.minute)).toEqual([]);
    expect((await cache.rollups('tts', '48h', now + 47 * HOUR, [])).map((r) => r.count)).toEqual([2]);
    await store.close();
  });

  it('hands out copies: changing an answer does not change the next one', async () => {
    const { store } = countingStore();
    const stored = rollup(now - 5 * HOUR, [100]);
    await store.addRollups([stored]);
    const cache = new HistoryCache(store);
    const answer = await cache.rollups('tts', '7d', now, []);
    answer[0]!.count = 999;
    answer[0]!.histogram.counts.fill(7);
    const again = (await cache.rollups('tts', '7d', now, []))[0]!;
    expect(again.count).toBe(1);
    expect(again.histogram.counts).toEqual(stored.histogram.counts);
    await store.close();
  });
});
