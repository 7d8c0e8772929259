// The store suite's part for migration 2 (PostgreSQL) / 4 (SQLite), on both engines: rating aggregates add
// up across flushes and replicas, and replicas' heartbeats are listed with their age and down mark.
import { afterEach, describe, expect, it } from 'vitest';
import { minuteOfRating, mergeSatisfaction, type Rating, type SatisfactionMinute } from '@bascule/routing';
import type { GatewayStore } from '../src/store/index.ts';
import { ENGINES, createTestDatabase, type TestDatabase } from './support/test-databases.ts';

const rating = (score: number, over: Partial<Rating> = {}): SatisfactionMinute =>
  minuteOfRating({ at: 120_500, component: 'stt', provider: 'faster-whisper', route: 'production', rater: 'student', score, ...over });

describe.each(ENGINES)('satisfaction and replicas on %s', (engine) => {
  let db: TestDatabase | undefined;
  const opened: GatewayStore[] = [];
  const open = async (): Promise<GatewayStore> => {
    db ??= await createTestDatabase(engine);
    const store = await db.open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await db?.drop();
    db = undefined;
  });

  it('adds the ratings of two writers (two replicas) into the same minute', async () => {
    const a = await open();
    const b = await open();
    await a.addSatisfaction(mergeSatisfaction([rating(9), rating(10)]));
    await b.addSatisfaction([rating(3), rating(8, { rater: 'teacher' }), rating(5, { route: 'mvp', provider: 'openai-whisper' })]);
    const stored = await a.satisfactionSince(0, 'stt');
    const student = stored.find((m) => m.route === 'production' && m.rater === 'student')!;
    expect(student).toMatchObject({ minute: 120_000, count: 3, sum: 22 });
    expect(student.histogram).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
    expect(stored.map((m) => `${m.route}:${m.rater}:${m.count}`).sort()).toEqual(['mvp:student:1', 'production:student:3', 'production:teacher:1']);
    expect(await a.satisfactionSince(180_000, 'stt')).toEqual([]);
    expect(await a.satisfactionSince(0, 'llm')).toEqual([]);
    // They share the rollups' retention.
    await a.pruneRollups(180_000);
    expect(await a.satisfactionSince(0, 'stt')).toEqual([]);
  });

  it('lists replicas by heartbeat, marks one down and back, forgets one that leaves', async () => {
    const store = await open();
    await store.heartbeatReplica({ id: 'gw-a', address: 'http://10.0.0.1:4000', startedAt: 1_000 }, 10_000);
    await store.heartbeatReplica({ id: 'gw-b', address: null, startedAt: 2_000 }, 10_000);
    await store.heartbeatReplica({ id: 'gw-b', address: 'http://10.0.0.2:4000', startedAt: 2_000 }, 11_000);
    let list = await store.replicas(20_000);
    expect(list.map((r) => [r.id, r.address, r.startedAt, r.downSince])).toEqual([
      ['gw-a', 'http://10.0.0.1:4000', 1_000, null],
      ['gw-b', 'http://10.0.0.2:4000', 2_000, null],
    ]);
    // SQLite ages on the caller's clock; PostgreSQL on its own (the heartbeat was just now).
    if (engine === 'sqlite') expect(list.map((r) => r.ageMs)).toEqual([10_000, 9_000]);
    else expect(list.every((r) => r.ageMs >= 0 && r.ageMs < 5_000)).toBe(true);
    await store.markReplica('gw-a', 15_000);
    expect((await store.replicas(20_000)).find((r) => r.id === 'gw-a')!.downSince).toBe(15_000);
    await store.markReplica('gw-a', null);
    await store.forgetReplica('gw-b');
    list = await store.replicas(20_000);
    expect(list.map((r) => [r.id, r.downSince])).toEqual([['gw-a', null]]);
  });
});
