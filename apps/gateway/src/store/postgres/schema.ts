// Numbered schema migrations of the PostgreSQL store: the same tables and guarantees as the SQLite one
// (sqlite/schema.ts), written for several gateways sharing one database. Rollups are columns, not JSON, so
// `INSERT … ON CONFLICT DO UPDATE` can add a replica's minute into the stored one in one statement.
// Each runs once, in order, in a transaction under an advisory lock (two replicas may start together);
// never edit a released one: add the next number.
import type { SchemaMigration } from '../sqlite/schema.ts';

export const PG_SCHEMA_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'rollout state, audit log, minute rollups, quality results, monthly costs, leases',
    sql: `
      CREATE TABLE rollout_state (
        component TEXT PRIMARY KEY,
        state_json JSONB NOT NULL,
        revision BIGINT NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE audit_events (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        component TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL,
        from_json JSONB NOT NULL,
        to_json JSONB NOT NULL
      );
      CREATE INDEX audit_events_component ON audit_events (component, id);
      -- The log is append-only: the database itself refuses edits, deletions and truncation.
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
      CREATE TABLE minute_rollups (
        minute BIGINT NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        route TEXT NOT NULL,
        count BIGINT NOT NULL,
        errors BIGINT NOT NULL,
        latency_sum_ms DOUBLE PRECISION NOT NULL,
        cost_eur DOUBLE PRECISION NOT NULL,
        hist_counts BIGINT[] NOT NULL,
        hist_min DOUBLE PRECISION,
        hist_max DOUBLE PRECISION,
        PRIMARY KEY (minute, component, provider, route)
      );
      CREATE INDEX minute_rollups_component ON minute_rollups (component, minute);
      CREATE TABLE quality_results (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        benchmark TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        samples INTEGER NOT NULL
      );
      CREATE INDEX quality_results_component ON quality_results (component, provider, at);
      CREATE TABLE monthly_costs (
        month TEXT NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        requests BIGINT NOT NULL,
        cost_eur DOUBLE PRECISION NOT NULL,
        first_minute BIGINT NOT NULL,
        PRIMARY KEY (month, component, provider)
      );
      -- One row per lease (the analysis loop's): who holds it, the ticket that fences its writes, until when.
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        ticket BIGINT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'user satisfaction per minute; gateway replicas and their heartbeats',
    // Ratings are columns, like minute_rollups, so a replica's minute adds into the stored one in one
    // statement. Heartbeats are on the database's clock (as the leases), so hosts' clocks do not matter.
    sql: `
      CREATE TABLE satisfaction_minutes (
        minute BIGINT NOT NULL,
        component TEXT NOT NULL,
        provider TEXT NOT NULL,
        route TEXT NOT NULL,
        rater TEXT NOT NULL,
        count BIGINT NOT NULL,
        sum BIGINT NOT NULL,
        histogram BIGINT[] NOT NULL,
        PRIMARY KEY (minute, component, provider, route, rater)
      );
      CREATE INDEX satisfaction_minutes_component ON satisfaction_minutes (component, minute);
      CREATE TABLE replicas (
        id TEXT PRIMARY KEY,
        address TEXT,
        started_at BIGINT NOT NULL,
        heartbeat_at TIMESTAMPTZ NOT NULL,
        down_since BIGINT
      );
    `,
  },
  {
    // 3 here, 5 on SQLite: the same column and index.
    version: 3,
    name: 'a note with a quality result (a listening test), and its reading by component and time',
    sql: `
      ALTER TABLE quality_results ADD COLUMN note TEXT;
      CREATE INDEX quality_results_component_at ON quality_results (component, at);
    `,
  },
];
