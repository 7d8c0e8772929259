// The shared store: PostgreSQL through a `pg.Pool`, for several gateways on one database. Each method that
// writes runs BEGIN…COMMIT on one client. A transition checks the state's revision (a write computed from a
// stale state is refused) and, for the analysis loop, the lease ticket (a leader that lost its lease cannot
// write), then publishes the change with NOTIFY, delivered to the other replicas on commit.
// Every call has a timeout: connecting, each statement (server side) and each query (client side).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Component, MinuteRollup, ProviderId, RolloutState, SatisfactionMinute } from '@bascule/routing';
import { PG_SCHEMA_MIGRATIONS } from './schema.ts';
import type { SchemaMigration } from '../sqlite/schema.ts';
import { classify } from './errors.ts';
import {
  LeaseLostError,
  StaleStateError,
  monthOf,
  type EventQuery,
  type GatewayStore,
  type MonthlyCost,
  type QualityQuery,
  type QualityRecord,
  type ReplicaRecord,
  type StoredAuditEvent,
  type StoredAuditEventInput,
  type TransitionGuard,
  type VersionedState,
} from '../types.ts';
import { CRITERION_ROWS, qualityFilters } from '../quality-filters.ts';

/** The NOTIFY channel every committed transition is published on (payload: StateNotice as JSON). */
export const STATE_CHANNEL = 'bascule_state';

export interface StateNotice {
  /** The writing store (one per process): a replica skips its own notices. */
  origin: string;
  component: Component;
  revision: number;
  eventId: number;
}

export interface PostgresStoreOptions {
  connectionString: string;
  /** Connecting, and each statement, give up after this (default 2 s / 5 s). */
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Pool size (default 5: the flush, the loop, the admin API and the feed's re-read). */
  maxConnections?: number;
  migrations?: readonly SchemaMigration[];
}

/** BIGINT (int8) as a JavaScript number: ids, minutes and counts stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

export class PostgresStore implements GatewayStore {
  readonly engine = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly origin = randomBytes(8).toString('hex');
  readonly connectionString: string;
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
  private closed = false;

  private constructor(options: PostgresStoreOptions) {
    this.connectionString = options.connectionString;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
    this.pool = new pg.Pool(PostgresStore.clientConfig(options.connectionString, this.connectTimeoutMs, this.queryTimeoutMs, options.maxConnections ?? 5));
    // An idle client whose server went away emits here; without a listener it would crash the process.
    this.pool.on('error', () => {});
    // A client checked out of the pool has no listener of the pool's: a server that terminates it then (a
    // restart, an administrator command) would emit an unhandled 'error' and crash the gateway. The failure
    // itself still reaches the caller as the query's rejection.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** The connection settings every client of this store uses (the pool's and the change feed's). */
  static clientConfig(connectionString: string, connectTimeoutMs: number, queryTimeoutMs: number, max: number): pg.PoolConfig {
    return {
      connectionString,
      max,
      types,
      connectionTimeoutMillis: connectTimeoutMs,
      query_timeout: queryTimeoutMs,
      statement_timeout: queryTimeoutMs,
      idle_in_transaction_session_timeout: queryTimeoutMs * 2,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'bascule-gateway',
    };
  }

  /** Connects and applies the schema migrations; fails when the database cannot be reached. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.migrate(options.migrations ?? PG_SCHEMA_MIGRATIONS);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  get open(): boolean {
    return !this.closed;
  }

  private async migrate(migrations: readonly SchemaMigration[]): Promise<void> {
    await this.transaction(async (c) => {
      // Two replicas starting at once: the second waits here, then finds the versions applied.
      await c.query("SELECT pg_advisory_xact_lock(hashtext('bascule schema migrations'))");
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const applied = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      }
    });
  }

  async schemaVersions(): Promise<number[]> {
    return (await this.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
  }

  // ------------------------------------------------------------------------------ plumbing

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, values)).rows;
    } catch (error) {
      classify(error);
    }
  }

  /** BEGIN…COMMIT on one client; ROLLBACK (and the client discarded if it broke) on any error. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      classify(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      classify(error);
    } finally {
      client.release(broken);
    }
  }

  // ------------------------------------------------------------------------------ rollout state

  async loadStates(): Promise<VersionedState[]> {
    const rows = await this.query<{ state_json: RolloutState; revision: number }>('SELECT state_json, revision FROM rollout_state ORDER BY component');
    return rows.map((r) => ({ state: r.state_json, revision: r.revision }));
  }

  async initState(state: RolloutState, at: number): Promise<VersionedState> {
    const rows = await this.query<{ state_json: RolloutState; revision: number }>(
      `WITH ins AS (INSERT INTO rollout_state (component, state_json, revision, updated_at) VALUES ($1, $2, 0, $3) ON CONFLICT (component) DO NOTHING RETURNING state_json, revision)
       SELECT state_json, revision FROM ins UNION ALL SELECT state_json, revision FROM rollout_state WHERE component = $1`,
      [state.component, JSON.stringify(state), at],
    );
    return { state: rows[0]!.state_json, revision: rows[0]!.revision };
  }

  async saveTransition(state: RolloutState, event: StoredAuditEventInput, guard: TransitionGuard): Promise<{ event: StoredAuditEvent; revision: number }> {
    return this.transaction(async (c) => {
      if (guard.fence) {
        // FOR SHARE: a replica taking the lease over waits for this transaction, so fenced writes never overlap.
        const held = await c.query('SELECT 1 FROM leases WHERE name = $1 AND ticket = $2 AND expires_at > now() FOR SHARE', [guard.fence.lease, guard.fence.ticket]);
        if (held.rowCount !== 1) throw new LeaseLostError(guard.fence.lease, guard.fence.ticket);
      }
      const revision = guard.revision + 1;
      const updated = await c.query('UPDATE rollout_state SET state_json = $1, revision = $2, updated_at = $3 WHERE component = $4 AND revision = $5', [
        JSON.stringify(state),
        revision,
        event.at,
        state.component,
        guard.revision,
      ]);
      if (updated.rowCount !== 1) throw new StaleStateError(state.component);
      const stored = await this.insertEvent(c, event);
      const notice: StateNotice = { origin: this.origin, component: state.component, revision, eventId: stored.id };
      await c.query('SELECT pg_notify($1, $2)', [STATE_CHANNEL, JSON.stringify(notice)]);
      return { event: stored, revision };
    });
  }

  // ------------------------------------------------------------------------------ audit log

  private async insertEvent(c: pg.PoolClient, event: StoredAuditEventInput): Promise<StoredAuditEvent> {
    const { rows } = await c.query<{ id: number }>(
      'INSERT INTO audit_events (at, component, actor, action, reason, from_json, to_json) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [event.at, event.component, event.actor, event.action, event.reason, JSON.stringify(event.from), JSON.stringify(event.to)],
    );
    return { ...event, id: rows[0]!.id };
  }

  async recordEvent(event: StoredAuditEventInput): Promise<StoredAuditEvent> {
    return this.transaction((c) => this.insertEvent(c, event));
  }

  async events(query: EventQuery): Promise<StoredAuditEvent[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.component !== undefined) {
      args.push(query.component);
      where.push(`component = $${args.length}`);
    }
    if (query.before !== undefined) {
      args.push(query.before);
      where.push(`id < $${args.length}`);
    }
    args.push(query.limit);
    const rows = await this.query<AuditRow>(
      `SELECT id, at, component, actor, action, reason, from_json, to_json FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`,
      args,
    );
    return rows.map((r) => ({ id: r.id, at: r.at, component: r.component, actor: r.actor, action: r.action, reason: r.reason, from: r.from_json, to: r.to_json }));
  }

  // ------------------------------------------------------------------------------ rollups

  async addRollups(rollups: readonly MinuteRollup[]): Promise<void> {
    if (rollups.length === 0) return;
    // The same key order in every replica's transaction: two flushes lock rows in one order, never in a cycle.
    // So every minute row first, then every month row, each in key order (a month row updated between two
    // minute rows would let a flush holding it wait on a minute row that another flush holds while it waits
    // on the month row: PostgreSQL's "deadlock detected").
    const sorted = [...rollups].sort((a, b) => a.minute - b.minute || cmp(a.component, b.component) || cmp(a.provider, b.provider) || cmp(a.route, b.route));
    const months = monthlyTotals(sorted);
    await this.transaction(async (c) => {
      for (const r of sorted) {
        await c.query(ADD_ROLLUP, [r.minute, r.component, r.provider, r.route, r.count, r.errors, r.latencySumMs, r.costEur, r.histogram.counts.map((n) => n ?? 0), r.histogram.min, r.histogram.max]);
      }
      for (const m of months) await c.query(ADD_MONTHLY_COST, [m.month, m.component, m.provider, m.requests, m.costEur, m.firstMinute]);
    });
  }

  async rollupsSince(since: number, component?: Component): Promise<MinuteRollup[]> {
    const rows = await this.query<RollupRow>(
      `SELECT minute, component, provider, route, count, errors, latency_sum_ms, cost_eur, hist_counts::float8[] AS hist_counts, hist_min, hist_max
       FROM minute_rollups WHERE minute >= $1 ${component === undefined ? '' : 'AND component = $2'} ORDER BY minute, provider, route`,
      component === undefined ? [since] : [since, component],
    );
    return rows.map((r) => ({
      minute: r.minute,
      component: r.component,
      provider: r.provider,
      route: r.route,
      count: r.count,
      errors: r.errors,
      latencySumMs: r.latency_sum_ms,
      costEur: r.cost_eur,
      histogram: { counts: r.hist_counts, min: r.hist_min, max: r.hist_max },
    }));
  }

  async pruneRollups(before: number): Promise<number> {
    try {
      // The rating aggregates share the rollups' retention.
      await this.pool.query('DELETE FROM satisfaction_minutes WHERE minute < $1', [before]);
      return (await this.pool.query('DELETE FROM minute_rollups WHERE minute < $1', [before])).rowCount ?? 0;
    } catch (error) {
      classify(error);
    }
  }

  async monthlyCosts(month: string): Promise<MonthlyCost[]> {
    const rows = await this.query<{ month: string; component: Component; provider: ProviderId; requests: number; cost_eur: number; first_minute: number }>(
      'SELECT month, component, provider, requests, cost_eur, first_minute FROM monthly_costs WHERE month = $1 ORDER BY component, provider',
      [month],
    );
    return rows.map((r) => ({ month: r.month, component: r.component, provider: r.provider, requests: r.requests, costEur: r.cost_eur, firstMinute: r.first_minute }));
  }

  // ------------------------------------------------------------------------------ quality

  async recordQuality(q: Omit<QualityRecord, 'id'>, event: StoredAuditEventInput): Promise<{ quality: QualityRecord; event: StoredAuditEvent }> {
    return this.transaction(async (c) => {
      const { rows } = await c.query<{ id: number }>(
        'INSERT INTO quality_results (at, component, provider, benchmark, score, samples, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
        [q.at, q.component, q.provider, q.benchmark, q.score, q.samples, q.note ?? null],
      );
      return { quality: { ...q, id: rows[0]!.id }, event: await this.insertEvent(c, event) };
    });
  }

  async addQualityResults(results: readonly Omit<QualityRecord, 'id'>[]): Promise<void> {
    if (results.length === 0) return;
    // One statement: the rows of a flush land together or not at all.
    const values = results.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(', ');
    await this.query(
      `INSERT INTO quality_results (at, component, provider, benchmark, score, samples) VALUES ${values}`,
      results.flatMap((q) => [q.at, q.component, q.provider, q.benchmark, q.score, q.samples]),
    );
  }

  async qualitySince(component: Component, provider: ProviderId, since: number): Promise<QualityRecord[]> {
    return this.query<QualityRecord>(
      `SELECT id, at, component, provider, benchmark, score, samples FROM quality_results WHERE component = $1 AND provider = $2 AND at >= $3 AND ${CRITERION_ROWS} ORDER BY at`,
      [component, provider, since],
    );
  }

  // ------------------------------------------------------------------------------ satisfaction

  async addSatisfaction(minutes: readonly SatisfactionMinute[]): Promise<void> {
    if (minutes.length === 0) return;
    // Key order, as addRollups: two replicas' flushes lock the rows in one order.
    const sorted = [...minutes].sort((a, b) => a.minute - b.minute || cmp(a.component, b.component) || cmp(a.provider, b.provider) || cmp(a.route, b.route) || cmp(a.rater, b.rater));
    await this.transaction(async (c) => {
      for (const m of sorted) await c.query(ADD_SATISFACTION, [m.minute, m.component, m.provider, m.route, m.rater, m.count, m.sum, m.histogram]);
    });
  }

  async satisfactionSince(since: number, component?: Component): Promise<SatisfactionMinute[]> {
    return this.query<SatisfactionMinute>(
      `SELECT minute, component, provider, route, rater, count, sum, histogram::float8[] AS histogram FROM satisfaction_minutes
       WHERE minute >= $1 ${component === undefined ? '' : 'AND component = $2'} ORDER BY minute, provider, route, rater`,
      component === undefined ? [since] : [since, component],
    );
  }

  // ------------------------------------------------------------------------------ replicas

  async heartbeatReplica(replica: { id: string; address: string | null; startedAt: number }): Promise<void> {
    await this.query(
      `INSERT INTO replicas (id, address, started_at, heartbeat_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET address = excluded.address, started_at = excluded.started_at, heartbeat_at = now()`,
      [replica.id, replica.address, replica.startedAt],
    );
  }

  async replicas(): Promise<ReplicaRecord[]> {
    const rows = await this.query<{ id: string; address: string | null; started_at: number; last_seen: number; age_ms: number; down_since: number | null }>(
      `SELECT id, address, started_at, (extract(epoch FROM heartbeat_at) * 1000)::float8 AS last_seen,
              greatest(0, extract(epoch FROM now() - heartbeat_at) * 1000)::float8 AS age_ms, down_since
       FROM replicas ORDER BY started_at, id`,
    );
    return rows.map((r) => ({ id: r.id, address: r.address, startedAt: r.started_at, lastSeen: Math.round(r.last_seen), ageMs: Math.round(r.age_ms), downSince: r.down_since }));
  }

  async markReplica(id: string, downSince: number | null): Promise<void> {
    await this.query('UPDATE replicas SET down_since = $2 WHERE id = $1', [id, downSince]);
  }

  async forgetReplica(id: string): Promise<void> {
    await this.query('DELETE FROM replicas WHERE id = $1', [id]);
  }

  async qualityResults(query: QualityQuery): Promise<QualityRecord[]> {
    const filters = qualityFilters(query, (i) => `$${i}`, 4);
    const rows = await this.query<QualityRecord & { note: string | null }>(
      `SELECT id, at, component, provider, benchmark, score, samples, note FROM quality_results WHERE component = $1 AND at >= $2 AND at <= $3${filters.sql} ORDER BY at DESC, id DESC LIMIT $${4 + filters.values.length}`,
      [query.component, query.from, query.to, ...filters.values, query.limit],
    );
    return rows.reverse().map(({ note, ...record }) => (note === null ? record : { ...record, note }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The month rows a flush adds to, summed per (month, component, provider), in key order. */
function monthlyTotals(rollups: readonly MinuteRollup[]): MonthlyCost[] {
  const byKey = new Map<string, MonthlyCost>();
  for (const r of rollups) {
    const month = monthOf(r.minute);
    const key = `${month}|${r.component}|${r.provider}`;
    const m = byKey.get(key);
    if (m === undefined) byKey.set(key, { month, component: r.component, provider: r.provider, requests: r.count, costEur: r.costEur, firstMinute: r.minute });
    else {
      m.requests += r.count;
      m.costEur += r.costEur;
      m.firstMinute = Math.min(m.firstMinute, r.minute);
    }
  }
  return [...byKey.keys()].sort(cmp).map((k) => byKey.get(k)!);
}

// Adds a replica's minute into the stored one: counts and sums added, histogram buckets added one by one
// (the shorter array padded with zeros), min and max kept. One statement, so concurrent flushes add up.
const ADD_ROLLUP = `
  INSERT INTO minute_rollups AS m (minute, component, provider, route, count, errors, latency_sum_ms, cost_eur, hist_counts, hist_min, hist_max)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint[], $10, $11)
  ON CONFLICT (minute, component, provider, route) DO UPDATE SET
    count = m.count + excluded.count,
    errors = m.errors + excluded.errors,
    latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
    cost_eur = m.cost_eur + excluded.cost_eur,
    hist_counts = ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(m.hist_counts, excluded.hist_counts) WITH ORDINALITY AS t(a, b, i) ORDER BY i),
    hist_min = LEAST(m.hist_min, excluded.hist_min),
    hist_max = GREATEST(m.hist_max, excluded.hist_max)`;

const ADD_MONTHLY_COST = `
  INSERT INTO monthly_costs AS c (month, component, provider, requests, cost_eur, first_minute) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (month, component, provider) DO UPDATE SET
    requests = c.requests + excluded.requests, cost_eur = c.cost_eur + excluded.cost_eur, first_minute = LEAST(c.first_minute, excluded.first_minute)`;

// Adds a replica's minute of ratings into the stored one: counts, sums and score buckets added.
const ADD_SATISFACTION = `
  INSERT INTO satisfaction_minutes AS s (minute, component, provider, route, rater, count, sum, histogram)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint[])
  ON CONFLICT (minute, component, provider, route, rater) DO UPDATE SET
    count = s.count + excluded.count,
    sum = s.sum + excluded.sum,
    histogram = ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(s.histogram, excluded.histogram) WITH ORDINALITY AS t(a, b, i) ORDER BY i)`;

interface AuditRow {
  id: number;
  at: number;
  component: Component;
  actor: string;
  action: StoredAuditEvent['action'];
  reason: string;
  from_json: StoredAuditEvent['from'];
  to_json: StoredAuditEvent['to'];
}

interface RollupRow {
  minute: number;
  component: Component;
  provider: ProviderId;
  route: MinuteRollup['route'];
  count: number;
  errors: number;
  latency_sum_ms: number;
  cost_eur: number;
  hist_counts: number[];
  hist_min: number | null;
  hist_max: number | null;
}
