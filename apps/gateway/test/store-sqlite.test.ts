// What only the SQLite engine has: WAL mode, its schema file upgraded in place, triggers that keep the audit
// log append-only. The behaviour both engines share is in store.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPlan, initialState } from '@bascule/routing';
import { SCHEMA_MIGRATIONS, SqliteStore as Store } from '../src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snap = { status: 'mvp' as const, weight: 0, step: -1 };

describe('SQLite store', () => {
  it('applies the numbered migrations once, in WAL mode', async () => {
    const path = join(dir, 'migrations.db');
    const store = new Store(path);
    expect(await store.schemaVersions()).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
    const next = SCHEMA_MIGRATIONS.length + 1;
    const again = new Store(path, [...SCHEMA_MIGRATIONS, { version: next, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }]);
    expect(await again.schemaVersions()).toEqual([...SCHEMA_MIGRATIONS.map((m) => m.version), next]);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM extra').get()).toEqual({ n: 0 });
    await again.close();
  });

  it('gives the states of a file written before revisions existed revision 0', async () => {
    const path = join(dir, 'v2.db');
    const old = new Store(path, SCHEMA_MIGRATIONS.filter((m) => m.version <= 2));
    const state = initialState(defaultPlan('stt'), 0);
    old.db.prepare('INSERT INTO rollout_state (component, state_json, updated_at) VALUES (?, ?, ?)').run('stt', JSON.stringify(state), 0);
    await old.close();
    const upgraded = new Store(path);
    expect(await upgraded.loadStates()).toEqual([{ state, revision: 0 }]);
    await upgraded.close();
  });

  it('refuses to edit or delete the audit log', async () => {
    const store = new Store(':memory:');
    const { event: e } = await store.recordQuality(
      { at: 1, component: 'stt', provider: 'faster-whisper', benchmark: 'b', score: 1, samples: 1 },
      { at: 1, component: 'stt', actor: 'admin', action: 'quality-recorded', reason: 'x', from: snap, to: snap },
    );
    expect(() => store.db.prepare('UPDATE audit_events SET reason = ? WHERE id = ?').run('rewritten', e.id)).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    await store.close();
  });
});
