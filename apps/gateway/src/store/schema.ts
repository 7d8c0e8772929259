// Numbered schema migrations of the store. Each runs once, in order, inside a transaction, and is
// recorded in `schema_migrations`; never edit a released one: add the next number.
export interface SchemaMigration {
  version: number;
  name: string;
  sql: string;
}

export const SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'rollout state, audit log, minute rollups, quality results',
    sql: `
      CREATE TABLE rollout_state (
        component TEXT PRIMARY KEY,
        state_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        component TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL,
        from_json TEXT NOT NULL,
        to_json TEXT NOT NULL
      );
      CREATE INDEX audit_events_component ON audit_events (component, id);
      -- The log is append-only: the database itself refuses edits and deletions.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TABLE minute_rollups (
        minute INTEGER NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        route TEXT NOT NULL,
        rollup_json TEXT NOT NULL,
        PRIMARY KEY (minute, component, provider, route)
      );
      CREATE TABLE quality_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        benchmark TEXT NOT NULL,
        score REAL NOT NULL,
        samples INTEGER NOT NULL
      );
      CREATE INDEX quality_results_component ON quality_results (component, provider, at);
    `,
  },
];
