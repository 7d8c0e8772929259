// Numbered schema migrations of the SQLite store. Each runs once, in order, inside a transaction, and is
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
  {
    version: 2,
    name: 'monthly costs (kept after the minute rollups are pruned)',
    // Requests and cost per UTC month, component and provider, added to by every flush of rollups, so the
    // month to date survives the rollups' 8-day retention. Filled from the minutes already stored.
    sql: `
      CREATE TABLE monthly_costs (
        month TEXT NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        requests INTEGER NOT NULL,
        cost_eur REAL NOT NULL,
        first_minute INTEGER NOT NULL,
        PRIMARY KEY (month, component, provider)
      );
      INSERT INTO monthly_costs (month, component, provider, requests, cost_eur, first_minute)
        SELECT strftime('%Y-%m', minute / 1000, 'unixepoch'), component, provider,
               SUM(json_extract(rollup_json, '$.count')), SUM(json_extract(rollup_json, '$.costEur')), MIN(minute)
        FROM minute_rollups GROUP BY 1, 2, 3;
    `,
  },
  {
    version: 3,
    name: 'a revision per rollout state (a transition from a stale state is refused)',
    sql: `ALTER TABLE rollout_state ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    // Version 4 here, 2 on PostgreSQL: the same tables (SQLite's 2 and 3 were already taken).
    version: 4,
    name: 'user satisfaction per minute; gateway replicas and their heartbeats',
    sql: `
      CREATE TABLE satisfaction_minutes (
        minute INTEGER NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        route TEXT NOT NULL,
        rater TEXT NOT NULL,
        count INTEGER NOT NULL,
        sum INTEGER NOT NULL,
        histogram_json TEXT NOT NULL,
        PRIMARY KEY (minute, component, provider, route, rater)
      );
      CREATE INDEX satisfaction_minutes_component ON satisfaction_minutes (component, minute);
      CREATE TABLE replicas (
        id TEXT PRIMARY KEY,
        address TEXT,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        down_since INTEGER
      );
    `,
  },
  {
    // Version 5 here, 3 on PostgreSQL: the same column and index.
    version: 5,
    name: 'a note with a quality result (a listening test), and its reading by component and time',
    sql: `
      ALTER TABLE quality_results ADD COLUMN note TEXT;
      CREATE INDEX quality_results_component_at ON quality_results (component, at);
    `,
  },
];
