import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPlan, emptyHistogram, initialState, recordLatency, setWeight, type MinuteRollup } from '@bascule/routing';
import { SCHEMA_MIGRATIONS, Store } from '../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rollup(minute: number, latencies: number[], errors = 0): MinuteRollup {
  const histogram = emptyHistogram();
  latencies.forEach((l) => recordLatency(histogram, l));
  return { minute, component: 'llm', provider: 'groq', route: 'production', count: latencies.length, errors, latencySumMs: latencies.reduce((a, b) => a + b, 0), costEur: 0.01, histogram };
}

describe('store', () => {
  it('applies the numbered migrations once, in WAL mode', () => {
    const path = join(dir, 'migrations.db');
    const store = new Store(path);
    expect(store.schemaVersions()).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
    const next = SCHEMA_MIGRATIONS.length + 1;
    const again = new Store(path, [...SCHEMA_MIGRATIONS, { version: next, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }]);
    expect(again.schemaVersions()).toEqual([...SCHEMA_MIGRATIONS.map((m) => m.version), next]);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM extra').get()).toEqual({ n: 0 });
    again.close();
  });

  it('keeps state, audit log, rollups and quality results across a reopen', () => {
    const path = join(dir, 'persist.db');
    const plan = defaultPlan('llm');
    const store = new Store(path);
    const t = setWeight(plan, initialState(plan, 0), { actor: 'admin', reason: 'first 10 %', at: 1_000, weight: 10 });
    const stored = store.saveTransition(t.state, t.event);
    store.addRollups([rollup(60_000, [100, 200])]);
    store.addRollups([rollup(60_000, [300], 1)]);
    store.addQuality({ at: 5, component: 'llm', provider: 'groq', benchmark: 'exercises-fr', score: 0.97, samples: 120 });
    store.close();

    const reopened = new Store(path);
    expect(reopened.loadState('llm')).toMatchObject({ weight: 10, status: 'migrating' });
    expect(reopened.events({ limit: 10 })).toEqual([{ ...t.event, id: stored.id }]);
    const [merged] = reopened.rollupsSince(0, 'llm');
    expect(merged).toMatchObject({ count: 3, errors: 1, latencySumMs: 600 });
    expect(merged!.histogram.min).toBe(100);
    expect(merged!.histogram.max).toBe(300);
    expect(reopened.qualitySince('llm', 'groq', 0)).toHaveLength(1);
    reopened.close();
  });

  it('refuses to edit or delete the audit log', () => {
    const store = new Store(':memory:');
    const e = store.appendEvent({ at: 1, component: 'stt', actor: 'admin', action: 'set-weight', reason: 'x', from: { status: 'mvp', weight: 0, step: -1 }, to: { status: 'migrating', weight: 5, step: -1 } });
    expect(() => store.db.prepare('UPDATE audit_events SET reason = ? WHERE id = ?').run('rewritten', e.id)).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    store.close();
  });

  it('pages events newest first, by component', () => {
    const store = new Store(':memory:');
    const snap = { status: 'mvp' as const, weight: 0, step: -1 };
    for (let i = 0; i < 5; i++) store.appendEvent({ at: i, component: i % 2 ? 'llm' : 'stt', actor: 'admin', action: 'set-weight', reason: `r${i}`, from: snap, to: snap });
    expect(store.events({ limit: 3 }).map((e) => e.reason)).toEqual(['r4', 'r3', 'r2']);
    expect(store.events({ limit: 10, component: 'llm' }).map((e) => e.reason)).toEqual(['r3', 'r1']);
    expect(store.events({ limit: 10, before: 3 }).map((e) => e.reason)).toEqual(['r1', 'r0']);
    store.close();
  });

  it('prunes old rollups only', () => {
    const store = new Store(':memory:');
    store.addRollups([rollup(60_000, [1]), rollup(120_000, [2])]);
    expect(store.pruneRollups(120_000)).toBe(1);
    expect(store.rollupsSince(0).map((r) => r.minute)).toEqual([120_000]);
    store.close();
  });
});
