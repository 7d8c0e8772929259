// One store suite, two engines (Backstage's TestDatabases): the SQLite file and PostgreSQL keep the same
// state, audit log, rollups, quality results and monthly costs, with the same guarantees. Engine-only
// checks live in store-sqlite.test.ts and store-postgres.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPlan, emptyHistogram, initialState, recordLatency, setWeight, snapshotOf, type MinuteRollup } from '@bascule/routing';
import { PG_SCHEMA_MIGRATIONS, SCHEMA_MIGRATIONS, StaleStateError, type GatewayStore } from '../src/store/index.ts';
import { ENGINES, createTestDatabase, type TestDatabase } from './support/test-databases.ts';

function rollup(minute: number, latencies: number[], errors = 0, over: Partial<MinuteRollup> = {}): MinuteRollup {
  const histogram = emptyHistogram();
  latencies.forEach((l) => recordLatency(histogram, l));
  return { minute, component: 'llm', provider: 'groq', route: 'production', count: latencies.length, errors, latencySumMs: latencies.reduce((a, b) => a + b, 0), costEur: 0.01, histogram, ...over };
}

const plan = defaultPlan('llm');
const snap = { status: 'mvp' as const, weight: 0, step: -1 };

describe.each(ENGINES)('store on %s', (engine) => {
  let db: TestDatabase;
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
    db = undefined as unknown as TestDatabase;
  });

  it('applies its numbered schema migrations once', async () => {
    const store = await open();
    const expected = (engine === 'sqlite' ? SCHEMA_MIGRATIONS : PG_SCHEMA_MIGRATIONS).map((m) => m.version);
    expect(await store.schemaVersions()).toEqual(expected);
    await store.close();
    expect(await (await open()).schemaVersions()).toEqual(expected);
  });

  it('records an audit event that changes no state, kept across a reopen', async () => {
    const store = await open();
    await store.initState(initialState(plan, 0), 0);
    const event = { at: 7, component: 'llm' as const, actor: 'gateway', action: 'candidate-fallback' as const, reason: 'huggingface failing', from: snap, to: snap };
    const stored = await store.recordEvent(event);
    expect(stored).toEqual({ ...event, id: expect.any(Number) });
    await store.close();
    expect(await (await open()).events({ limit: 10 })).toEqual([stored]);
    expect((await (await open()).loadStates())[0]!.revision).toBe(0);
  });

  it('adds measured quality results in one write, without an audit event, kept across a reopen', async () => {
    const store = await open();
    await store.addQualityResults([]);
    await store.addQualityResults([
      { at: 60_000, component: 'stt', provider: 'faster-whisper', benchmark: 'shadow:agreement', score: 0.9, samples: 12 },
      { at: 60_000, component: 'stt', provider: 'faster-whisper', benchmark: 'shadow:wer', score: 0.1, samples: 12 },
      { at: 60_000, component: 'stt', provider: 'openai-whisper', benchmark: 'shadow:matches-expected', score: 0.5, samples: 4 },
    ]);
    await store.close();
    const reopened = await open();
    expect(await reopened.events({ limit: 10 })).toEqual([]);
    // What a criterion reads: the agreement, never the diagnostics (shadow:wer, shadow:matches-expected).
    const rows = await reopened.qualitySince('stt', 'faster-whisper', 0);
    expect(rows.map((r) => [r.benchmark, r.score, r.samples, r.at])).toEqual([['shadow:agreement', 0.9, 12, 60_000]]);
    expect(await reopened.qualitySince('stt', 'faster-whisper', 60_001)).toEqual([]);
    expect(await reopened.qualitySince('stt', 'openai-whisper', 0)).toEqual([]);
    // Every row is kept all the same: the quality view lists them.
    const all = await reopened.qualityResults({ component: 'stt', from: 0, to: 120_000, limit: 10 });
    expect(all.map((r) => r.benchmark).sort()).toEqual(['shadow:agreement', 'shadow:matches-expected', 'shadow:wer']);
  });

  it('keeps state, audit log, rollups and quality results across a reopen', async () => {
    const store = await open();
    const first = await store.initState(initialState(plan, 0), 0);
    expect(first).toMatchObject({ revision: 0, state: { weight: 0, status: 'mvp' } });
    const t = setWeight(plan, first.state, { actor: 'admin', reason: 'first 10 %', at: 1_000, weight: 10 });
    const saved = await store.saveTransition(t.state, t.event, { revision: 0 });
    expect(saved.revision).toBe(1);
    await store.addRollups([rollup(60_000, [100, 200])]);
    await store.addRollups([rollup(60_000, [300], 1)]);
    await store.recordQuality({ at: 5, component: 'llm', provider: 'groq', benchmark: 'exercises-fr', score: 0.97, samples: 120 }, { at: 5, component: 'llm', actor: 'admin', action: 'quality-recorded', reason: 'q', from: snap, to: snap });
    await store.close();

    const reopened = await open();
    expect(await reopened.loadStates()).toEqual([{ state: t.state, revision: 1 }]);
    const events = await reopened.events({ limit: 10 });
    expect(events.map((e) => e.action)).toEqual(['quality-recorded', 'set-weight']);
    expect(events[1]).toEqual({ ...t.event, id: saved.event.id });
    const [merged] = await reopened.rollupsSince(0, 'llm');
    expect(merged).toMatchObject({ count: 3, errors: 1, latencySumMs: 600 });
    expect(merged!.histogram.min).toBe(100);
    expect(merged!.histogram.max).toBe(300);
    const alone = emptyHistogram();
    [100, 200, 300].forEach((l) => recordLatency(alone, l));
    expect(merged!.histogram.counts).toEqual(alone.counts);
    expect(await reopened.qualitySince('llm', 'groq', 0)).toEqual([expect.objectContaining({ score: 0.97, samples: 120, benchmark: 'exercises-fr' })]);
  });

  it('keeps a quality result\'s note, and reads every provider\'s results of a component in a time range, newest kept', async () => {
    const store = await open();
    const event = (at: number) => ({ at, component: 'tts' as const, actor: 'admin', action: 'quality-recorded' as const, reason: 'q', from: snap, to: snap });
    const note = 'Voix claire, un peu lente sur « grenouille ». ✓';
    await store.recordQuality({ at: 1_000, component: 'tts', provider: 'coqui', benchmark: 'listening-test', score: 0.92, samples: 1, note }, event(1_000));
    await store.recordQuality({ at: 2_000, component: 'tts', provider: 'web-speech', benchmark: 'listening-test', score: 0.8, samples: 1 }, event(2_000));
    await store.recordQuality({ at: 3_000, component: 'tts', provider: 'coqui', benchmark: 'shadow:duration-ratio', score: 0.97, samples: 40 }, event(3_000));
    await store.recordQuality({ at: 3_000, component: 'stt', provider: 'faster-whisper', benchmark: 'shadow:agreement', score: 0.99, samples: 30 }, { ...event(3_000), component: 'stt' });
    await store.recordQuality({ at: 9_000, component: 'tts', provider: 'coqui', benchmark: 'listening-test', score: 0.9, samples: 1 }, event(9_000));
    await store.close();

    const reopened = await open();
    const all = await reopened.qualityResults({ component: 'tts', from: 0, to: 5_000, limit: 100 });
    expect(all.map((r) => [r.at, r.provider, r.benchmark])).toEqual([
      [1_000, 'coqui', 'listening-test'],
      [2_000, 'web-speech', 'listening-test'],
      [3_000, 'coqui', 'shadow:duration-ratio'],
    ]);
    expect(all[0]).toEqual({ id: expect.any(Number), at: 1_000, component: 'tts', provider: 'coqui', benchmark: 'listening-test', score: 0.92, samples: 1, note });
    expect(all[1]).not.toHaveProperty('note');
    // Over the limit: the newest, still oldest first.
    expect((await reopened.qualityResults({ component: 'tts', from: 0, to: 10_000, limit: 2 })).map((r) => r.at)).toEqual([3_000, 9_000]);
    expect(await reopened.qualityResults({ component: 'vision', from: 0, to: 10_000, limit: 10 })).toEqual([]);
    // Filtered: one benchmark, the shadow rows only, none of them.
    const of = async (filter: { benchmark?: string; shadow?: boolean }) => (await reopened.qualityResults({ component: 'tts', from: 0, to: 10_000, limit: 100, ...filter })).map((r) => r.benchmark);
    expect(await of({ benchmark: 'listening-test' })).toEqual(['listening-test', 'listening-test', 'listening-test']);
    expect(await of({ shadow: true })).toEqual(['shadow:duration-ratio']);
    expect(await of({ shadow: false })).toEqual(['listening-test', 'listening-test', 'listening-test']);
    expect(await of({ benchmark: 'listening-test', shadow: true })).toEqual([]);
  });

  it('stores a first state once: a second replica gets the stored one', async () => {
    const a = await open();
    const b = await open();
    await a.initState(initialState(plan, 1), 1);
    const other = await b.initState({ ...initialState(plan, 2), weight: 42 }, 2);
    expect(other).toMatchObject({ revision: 0, state: { weight: 0 } });
  });

  it('refuses a transition computed from a stale revision, and writes neither its state nor its event', async () => {
    const a = await open();
    const b = await open();
    const v = await a.initState(initialState(plan, 0), 0);
    const fromA = setWeight(plan, v.state, { actor: 'admin', reason: 'A', at: 1, weight: 10 });
    const fromB = setWeight(plan, v.state, { actor: 'admin', reason: 'B', at: 2, weight: 20 });
    await a.saveTransition(fromA.state, fromA.event, { revision: 0 });
    await expect(b.saveTransition(fromB.state, fromB.event, { revision: 0 })).rejects.toBeInstanceOf(StaleStateError);
    expect((await b.loadStates())[0]).toMatchObject({ revision: 1, state: { weight: 10 } });
    expect((await b.events({ limit: 10 })).map((e) => e.reason)).toEqual(['A']);
  });

  it('pages events newest first, by component', async () => {
    const store = await open();
    for (const component of ['llm', 'stt'] as const) await store.initState(initialState(defaultPlan(component), 0), 0);
    const revisions = { llm: 0, stt: 0 };
    for (let i = 0; i < 5; i++) {
      const component = i % 2 ? 'llm' : 'stt';
      const state = { ...initialState(defaultPlan(component), 0), weight: i };
      await store.saveTransition(state, { at: i, component, actor: 'admin', action: 'set-weight', reason: `r${i}`, from: snap, to: snapshotOf(state) }, { revision: revisions[component]++ });
    }
    expect((await store.events({ limit: 3 })).map((e) => e.reason)).toEqual(['r4', 'r3', 'r2']);
    expect((await store.events({ limit: 10, component: 'llm' })).map((e) => e.reason)).toEqual(['r3', 'r1']);
    const third = (await store.events({ limit: 10 })).find((e) => e.reason === 'r2')!;
    expect((await store.events({ limit: 10, before: third.id })).map((e) => e.reason)).toEqual(['r1', 'r0']);
  });

  it('adds two replicas’ rollups of the same minute, written at once, and their month totals', async () => {
    const a = await open();
    const b = await open();
    const minute = Date.UTC(2026, 11, 3, 8, 0);
    const fromA = [rollup(minute, [100, 200]), rollup(minute, [50], 0, { provider: 'huggingface', route: 'mvp', costEur: 0.02 })];
    const fromB = [rollup(minute, [400], 1), rollup(minute + 60_000, [80])];
    await Promise.all([a.addRollups(fromA), b.addRollups(fromB), a.addRollups([rollup(minute, [120])])]);
    const stored = await a.rollupsSince(0, 'llm');
    const groq = stored.find((r) => r.minute === minute && r.provider === 'groq')!;
    expect(groq).toMatchObject({ count: 4, errors: 1, latencySumMs: 820, histogram: { min: 100, max: 400 } });
    expect(groq.costEur).toBeCloseTo(0.03, 12);
    expect(stored.map((r) => [r.minute, r.provider, r.count])).toEqual([
      [minute, 'groq', 4],
      [minute, 'huggingface', 1],
      [minute + 60_000, 'groq', 1],
    ]);
    const month = await b.monthlyCosts('2026-12');
    expect(month.map((m) => [m.provider, m.requests, m.firstMinute])).toEqual([
      ['groq', 5, minute],
      ['huggingface', 1, minute],
    ]);
  });

  it('prunes old rollups only', async () => {
    const store = await open();
    await store.addRollups([rollup(60_000, [1]), rollup(120_000, [2])]);
    expect(await store.pruneRollups(120_000)).toBe(1);
    expect((await store.rollupsSince(0)).map((r) => r.minute)).toEqual([120_000]);
  });
});
