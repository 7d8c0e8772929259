// The embedded store: one SQLite file (WAL), so a restart loses no rollout state, audit event, rollup or
// quality result. `:memory:` for unit tests. better-sqlite3 is synchronous (a few microseconds per call on
// an indexed table); each method runs its transaction at once and returns a resolved promise, the way
// Kysely's SQLite driver wraps it. One process holds the file, so there is no lease to check.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { mergeRollups, mergeSatisfactionMinute, type AuditEvent, type Component, type MinuteRollup, type ProviderId, type RolloutState, type SatisfactionMinute } from '@bascule/routing';
import { SCHEMA_MIGRATIONS, type SchemaMigration } from './schema.ts';
import {
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

export class SqliteStore implements GatewayStore {
  readonly engine = 'sqlite' as const;
  readonly db: Database.Database;

  /** `path` is a file path or `:memory:`; the folder is created when missing. */
  constructor(path: string, migrations: readonly SchemaMigration[] = SCHEMA_MIGRATIONS) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate(migrations);
  }

  get open(): boolean {
    return this.db.open;
  }

  async schemaVersions(): Promise<number[]> {
    return this.versions();
  }

  private versions(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  private migrate(migrations: readonly SchemaMigration[]): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set(this.versions());
    const insert = this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        insert.run(m.version, m.name, Date.now());
      })();
    }
  }

  // ------------------------------------------------------------------------------ rollout state

  async loadStates(): Promise<VersionedState[]> {
    const rows = this.db.prepare('SELECT state_json, revision FROM rollout_state ORDER BY component').all() as { state_json: string; revision: number }[];
    return rows.map((r) => ({ state: JSON.parse(r.state_json) as RolloutState, revision: r.revision }));
  }

  async initState(state: RolloutState, at: number): Promise<VersionedState> {
    this.db.prepare('INSERT INTO rollout_state (component, state_json, updated_at, revision) VALUES (?, ?, ?, 0) ON CONFLICT (component) DO NOTHING').run(state.component, JSON.stringify(state), at);
    const row = this.db.prepare('SELECT state_json, revision FROM rollout_state WHERE component = ?').get(state.component) as { state_json: string; revision: number };
    return { state: JSON.parse(row.state_json) as RolloutState, revision: row.revision };
  }

  async saveTransition(state: RolloutState, event: StoredAuditEventInput, guard: TransitionGuard): Promise<{ event: StoredAuditEvent; revision: number }> {
    return this.db.transaction(() => {
      const revision = guard.revision + 1;
      const changed = this.db
        .prepare('UPDATE rollout_state SET state_json = ?, updated_at = ?, revision = ? WHERE component = ? AND revision = ?')
        .run(JSON.stringify(state), event.at, revision, state.component, guard.revision).changes;
      if (changed !== 1) throw new StaleStateError(state.component);
      return { event: this.appendEvent(event), revision };
    })();
  }

  // ------------------------------------------------------------------------------ audit log

  /** Inside a caller's transaction. */
  private appendEvent(event: StoredAuditEventInput): StoredAuditEvent {
    const info = this.db
      .prepare('INSERT INTO audit_events (at, component, actor, action, reason, from_json, to_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(event.at, event.component, event.actor, event.action, event.reason, JSON.stringify(event.from), JSON.stringify(event.to));
    return { ...event, id: Number(info.lastInsertRowid) };
  }

  async events(query: EventQuery): Promise<StoredAuditEvent[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.component !== undefined) {
      where.push('component = ?');
      args.push(query.component);
    }
    if (query.before !== undefined) {
      where.push('id < ?');
      args.push(query.before);
    }
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, query.limit) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      component: r.component as Component,
      actor: r.actor,
      action: r.action as StoredAuditEvent['action'],
      reason: r.reason,
      from: JSON.parse(r.from_json) as AuditEvent['from'],
      to: JSON.parse(r.to_json) as AuditEvent['to'],
    }));
  }

  // ------------------------------------------------------------------------------ rollups

  async addRollups(rollups: readonly MinuteRollup[]): Promise<void> {
    if (rollups.length === 0) return;
    const get = this.db.prepare('SELECT rollup_json FROM minute_rollups WHERE minute = ? AND component = ? AND provider = ? AND route = ?');
    const put = this.db.prepare(
      'INSERT INTO minute_rollups (minute, component, provider, route, rollup_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (minute, component, provider, route) DO UPDATE SET rollup_json = excluded.rollup_json',
    );
    const addCost = this.db.prepare(
      `INSERT INTO monthly_costs (month, component, provider, requests, cost_eur, first_minute) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (month, component, provider) DO UPDATE SET requests = requests + excluded.requests, cost_eur = cost_eur + excluded.cost_eur,
       first_minute = MIN(first_minute, excluded.first_minute)`,
    );
    // One writer at a time holds a SQLite file, so read-merge-write inside the transaction adds up.
    this.db.transaction(() => {
      for (const r of rollups) {
        const row = get.get(r.minute, r.component, r.provider, r.route) as { rollup_json: string } | undefined;
        const merged = row ? mergeRollups([JSON.parse(row.rollup_json) as MinuteRollup, r])[0]! : r;
        put.run(r.minute, r.component, r.provider, r.route, JSON.stringify(merged));
        addCost.run(monthOf(r.minute), r.component, r.provider, r.count, r.costEur, r.minute);
      }
    })();
  }

  async monthlyCosts(month: string): Promise<MonthlyCost[]> {
    const rows = this.db
      .prepare('SELECT month, component, provider, requests, cost_eur, first_minute FROM monthly_costs WHERE month = ? ORDER BY component, provider')
      .all(month) as { month: string; component: Component; provider: ProviderId; requests: number; cost_eur: number; first_minute: number }[];
    return rows.map((r) => ({ month: r.month, component: r.component, provider: r.provider, requests: r.requests, costEur: r.cost_eur, firstMinute: r.first_minute }));
  }

  async rollupsSince(since: number, component?: Component): Promise<MinuteRollup[]> {
    const rows = (
      component === undefined
        ? this.db.prepare('SELECT rollup_json FROM minute_rollups WHERE minute >= ? ORDER BY minute, provider, route').all(since)
        : this.db.prepare('SELECT rollup_json FROM minute_rollups WHERE minute >= ? AND component = ? ORDER BY minute, provider, route').all(since, component)
    ) as { rollup_json: string }[];
    return rows.map((r) => JSON.parse(r.rollup_json) as MinuteRollup);
  }

  async pruneRollups(before: number): Promise<number> {
    // The rating aggregates share the rollups' retention.
    this.db.prepare('DELETE FROM satisfaction_minutes WHERE minute < ?').run(before);
    return this.db.prepare('DELETE FROM minute_rollups WHERE minute < ?').run(before).changes;
  }

  // ------------------------------------------------------------------------------ quality

  async recordEvent(event: StoredAuditEventInput): Promise<StoredAuditEvent> {
    return this.appendEvent(event);
  }

  async recordQuality(q: Omit<QualityRecord, 'id'>, event: StoredAuditEventInput): Promise<{ quality: QualityRecord; event: StoredAuditEvent }> {
    return this.db.transaction(() => {
      const info = this.db
        .prepare('INSERT INTO quality_results (at, component, provider, benchmark, score, samples, note) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(q.at, q.component, q.provider, q.benchmark, q.score, q.samples, q.note ?? null);
      return { quality: { ...q, id: Number(info.lastInsertRowid) }, event: this.appendEvent(event) };
    })();
  }

  async addQualityResults(results: readonly Omit<QualityRecord, 'id'>[]): Promise<void> {
    if (results.length === 0) return;
    const insert = this.db.prepare('INSERT INTO quality_results (at, component, provider, benchmark, score, samples) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const q of results) insert.run(q.at, q.component, q.provider, q.benchmark, q.score, q.samples);
    })();
  }

  async qualitySince(component: Component, provider: ProviderId, since: number): Promise<QualityRecord[]> {
    return this.db
      .prepare(`SELECT id, at, component, provider, benchmark, score, samples FROM quality_results WHERE component = ? AND provider = ? AND at >= ? AND ${CRITERION_ROWS} ORDER BY at`)
      .all(component, provider, since) as QualityRecord[];
  }

  // ------------------------------------------------------------------------------ satisfaction

  async addSatisfaction(minutes: readonly SatisfactionMinute[]): Promise<void> {
    if (minutes.length === 0) return;
    const get = this.db.prepare('SELECT count, sum, histogram_json FROM satisfaction_minutes WHERE minute = ? AND component = ? AND provider = ? AND route = ? AND rater = ?');
    const put = this.db.prepare(
      `INSERT INTO satisfaction_minutes (minute, component, provider, route, rater, count, sum, histogram_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute, component, provider, route, rater) DO UPDATE SET count = excluded.count, sum = excluded.sum, histogram_json = excluded.histogram_json`,
    );
    this.db.transaction(() => {
      for (const m of minutes) {
        const row = get.get(m.minute, m.component, m.provider, m.route, m.rater) as { count: number; sum: number; histogram_json: string } | undefined;
        const merged = row ? mergeSatisfactionMinute({ ...m, count: row.count, sum: row.sum, histogram: JSON.parse(row.histogram_json) as number[] }, m) : m;
        put.run(m.minute, m.component, m.provider, m.route, m.rater, merged.count, merged.sum, JSON.stringify(merged.histogram));
      }
    })();
  }

  async satisfactionSince(since: number, component?: Component): Promise<SatisfactionMinute[]> {
    const sql = `SELECT minute, component, provider, route, rater, count, sum, histogram_json FROM satisfaction_minutes WHERE minute >= ? ${component === undefined ? '' : 'AND component = ?'} ORDER BY minute, provider, route, rater`;
    const rows = this.db.prepare(sql).all(...(component === undefined ? [since] : [since, component])) as (Omit<SatisfactionMinute, 'histogram'> & { histogram_json: string })[];
    return rows.map(({ histogram_json, ...r }) => ({ ...r, histogram: JSON.parse(histogram_json) as number[] }));
  }

  // ------------------------------------------------------------------------------ replicas

  async heartbeatReplica(replica: { id: string; address: string | null; startedAt: number }, at: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO replicas (id, address, started_at, heartbeat_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET address = excluded.address, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
      )
      .run(replica.id, replica.address, replica.startedAt, at);
  }

  async replicas(now: number): Promise<ReplicaRecord[]> {
    const rows = this.db.prepare('SELECT id, address, started_at, heartbeat_at, down_since FROM replicas ORDER BY started_at, id').all() as {
      id: string;
      address: string | null;
      started_at: number;
      heartbeat_at: number;
      down_since: number | null;
    }[];
    return rows.map((r) => ({ id: r.id, address: r.address, startedAt: r.started_at, lastSeen: r.heartbeat_at, ageMs: Math.max(0, now - r.heartbeat_at), downSince: r.down_since }));
  }

  async markReplica(id: string, downSince: number | null): Promise<void> {
    this.db.prepare('UPDATE replicas SET down_since = ? WHERE id = ?').run(downSince, id);
  }

  async forgetReplica(id: string): Promise<void> {
    this.db.prepare('DELETE FROM replicas WHERE id = ?').run(id);
  }

  async qualityResults(query: QualityQuery): Promise<QualityRecord[]> {
    const filters = qualityFilters(query, () => '?', 0);
    const rows = this.db
      .prepare(`SELECT id, at, component, provider, benchmark, score, samples, note FROM quality_results WHERE component = ? AND at >= ? AND at <= ?${filters.sql} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(query.component, query.from, query.to, ...filters.values, query.limit) as (QualityRecord & { note: string | null })[];
    return rows.reverse().map(withoutNullNote);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface AuditRow {
  id: number;
  at: number;
  component: string;
  actor: string;
  action: string;
  reason: string;
  from_json: string;
  to_json: string;
}

/** A stored row's note only when there is one. */
function withoutNullNote({ note, ...record }: QualityRecord & { note: string | null }): QualityRecord {
  return note === null ? record : { ...record, note };
}
