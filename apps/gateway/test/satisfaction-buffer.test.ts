// The ratings on their way to the store: counted in memory, written by the flush, kept (bounded) while the
// store is away, and still read (stored + unflushed) by the criterion and the views.
import { describe, expect, it } from 'vitest';
import { summarizeSatisfaction, type Rating } from '@bascule/routing';
import { SatisfactionBuffer } from '../src/satisfaction/buffer.ts';
import { Ratings } from '../src/satisfaction/ratings.ts';
import { SqliteStore, StoreUnavailableError, type GatewayStore } from '../src/store/index.ts';

const rating = (at: number, score: number, over: Partial<Rating> = {}): Rating => ({ at, component: 'vision', provider: 'trocr', route: 'production', rater: 'student', score, ...over });

/** A store whose rating writes and reads fail as an unreachable database's do, until `up` is set. */
function flakyStore(): { store: GatewayStore; up: { value: boolean } } {
  const real = new SqliteStore(':memory:');
  const up = { value: false };
  const store = Object.create(real) as GatewayStore;
  store.addSatisfaction = (m) => (up.value ? real.addSatisfaction(m) : Promise.reject(new StoreUnavailableError(new Error('connect ECONNREFUSED'))));
  store.satisfactionSince = (since, c) => (up.value ? real.satisfactionSince(since, c) : Promise.reject(new StoreUnavailableError(new Error('connect ECONNREFUSED'))));
  return { store, up };
}

describe('SatisfactionBuffer', () => {
  it('adds ratings of the same minute and key into one aggregate', () => {
    const b = new SatisfactionBuffer();
    b.record(rating(60_000, 9));
    b.record(rating(119_999, 5));
    b.record(rating(120_000, 7));
    b.record(rating(60_000, 3, { rater: 'teacher' }));
    expect(b.size).toBe(3);
    expect(summarizeSatisfaction(b.values(), { rater: 'student' })).toMatchObject({ ratings: 3, mean: 7 });
  });

  it('keeps a failed write, adds it to what came meanwhile, and drops the oldest minutes past its bound', () => {
    const b = new SatisfactionBuffer(2);
    b.record(rating(60_000, 8));
    const taken = b.take();
    expect(b.size).toBe(0);
    b.record(rating(60_000, 6));
    b.record(rating(120_000, 10));
    b.record(rating(180_000, 10));
    b.restore(taken);
    expect(b.size).toBe(2);
    expect(b.droppedRatings).toBe(2); // the 60 000 minute: 8 and 6
    expect([...b.values()].map((m) => m.minute).sort()).toEqual([120_000, 180_000]);
  });
});

describe('Ratings', () => {
  it('keeps the ratings in memory while the store is away, reads them meanwhile, and writes them once it is back', async () => {
    const { store, up } = flakyStore();
    const warnings: string[] = [];
    const ratings = new Ratings(store, { log: { warn: (_o, msg) => warnings.push(msg) } });
    ratings.record(rating(60_000, 4));
    ratings.record(rating(60_000, 6));
    await expect(ratings.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(warnings).toEqual(['ratings kept in memory: store write failed']);
    expect(summarizeSatisfaction(await ratings.since('vision', 0))).toMatchObject({ ratings: 2, mean: 5 });
    up.value = true;
    await ratings.flush();
    expect(ratings.buffer.size).toBe(0);
    expect(summarizeSatisfaction(await store.satisfactionSince(0, 'vision'))).toMatchObject({ ratings: 2, mean: 5 });
    // Read back from the store alone now, not counted twice.
    expect(summarizeSatisfaction(await ratings.since('vision', 0))).toMatchObject({ ratings: 2 });
  });
});
