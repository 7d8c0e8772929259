// The gateway's embedded store: one SQLite file (WAL), so a restart loses no rollout state, audit event,
// rollup or quality result. `:memory:` for unit tests. Synchronous (better-sqlite3): every call is a few
// microseconds on an indexed table, cheaper than a promise round trip.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { mergeRollups, type AuditEvent, type Component, type MinuteRollup, type ProviderId, type RolloutState } from '@bascule/routing';
import { SCHEMA_MIGRATIONS, type SchemaMigration } from './schema.ts';

/** An audit event as stored: the engine's event (or a quality record) with the id the store assigned. */
export interface StoredAuditEvent extends Omit<AuditEvent, 'action'> {
  id: number;
  action: AuditEvent['action'] | 'quality-recorded' | 'candidate-fallback';
}

export interface QualityRecord {
  id: number;
  at: number;
  component: Component;
  provider: ProviderId;
  benchmark: string;
  score: number;
  samples: number;
}

/** Requests and cost of one UTC month for one component and provider. */
export interface MonthlyCost {
  /** `YYYY-MM` (UTC). */
  month: string;
  component: Component;
  provider: ProviderId;
  requests: number;
  costEur: number;
  /** Start of the first minute with a request this month. */
  firstMinute: number;
}

/** The UTC month (`YYYY-MM`) of an instant. */
export const monthOf = (at: number): string => new Date(at).toISOString().slice(0, 7);

export interface EventQuery {
  component?: Component;
  /** Only events with a smaller id (paging back). */
  before?: number;
  limit: number;
}

export class Store {
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

  /** Versions applied, in order. */
  schemaVersions(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  private migrate(migrations: readonly SchemaMigration[]): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set(this.schemaVersions());
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

  loadState(component: Component): RolloutState | null {
    const row = this.db.prepare('SELECT state_json FROM rollout_state WHERE component = ?').get(component) as { state_json: string } | undefined;
    return row ? (JSON.parse(row.state_json) as RolloutState) : null;
  }

  saveState(state: RolloutState, at: number): void {
    this.db
      .prepare('INSERT INTO rollout_state (component, state_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (component) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at')
      .run(state.component, JSON.stringify(state), at);
  }

  /** A transition: the new state and its audit event, both or neither. Returns the stored event. */
  saveTransition(state: RolloutState, event: AuditEvent | StoredAuditEventInput): StoredAuditEvent {
    return this.db.transaction(() => {
      this.saveState(state, event.at);
      return this.appendEvent(event);
    })();
  }

  // ------------------------------------------------------------------------------ audit log

  appendEvent(event: StoredAuditEventInput): StoredAuditEvent {
    const info = this.db
      .prepare('INSERT INTO audit_events (at, component, actor, action, reason, from_json, to_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(event.at, event.component, event.actor, event.action, event.reason, JSON.stringify(event.from), JSON.stringify(event.to));
    return { ...event, id: Number(info.lastInsertRowid) };
  }

  /** Newest first. */
  events(query: EventQuery): StoredAuditEvent[] {
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

  /**
   * Adds rollups into the stored ones of the same minute and key (two flushes of a minute add up), and
   * their requests and cost into the month's totals, in one transaction.
   */
  addRollups(rollups: readonly MinuteRollup[]): void {
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
    this.db.transaction(() => {
      for (const r of rollups) {
        const row = get.get(r.minute, r.component, r.provider, r.route) as { rollup_json: string } | undefined;
        const merged = row ? mergeRollups([JSON.parse(row.rollup_json) as MinuteRollup, r])[0]! : r;
        put.run(r.minute, r.component, r.provider, r.route, JSON.stringify(merged));
        addCost.run(monthOf(r.minute), r.component, r.provider, r.count, r.costEur, r.minute);
      }
    })();
  }

  /** The totals of one UTC month (`YYYY-MM`), per component and provider. */
  monthlyCosts(month: string): MonthlyCost[] {
    const rows = this.db
      .prepare('SELECT month, component, provider, requests, cost_eur, first_minute FROM monthly_costs WHERE month = ? ORDER BY component, provider')
      .all(month) as { month: string; component: Component; provider: ProviderId; requests: number; cost_eur: number; first_minute: number }[];
    return rows.map((r) => ({ month: r.month, component: r.component, provider: r.provider, requests: r.requests, costEur: r.cost_eur, firstMinute: r.first_minute }));
  }

  /** Rollups of minutes starting at or after `since`, oldest first. */
  rollupsSince(since: number, component?: Component): MinuteRollup[] {
    const rows = (
      component === undefined
        ? this.db.prepare('SELECT rollup_json FROM minute_rollups WHERE minute >= ? ORDER BY minute').all(since)
        : this.db.prepare('SELECT rollup_json FROM minute_rollups WHERE minute >= ? AND component = ? ORDER BY minute').all(since, component)
    ) as { rollup_json: string }[];
    return rows.map((r) => JSON.parse(r.rollup_json) as MinuteRollup);
  }

  /** Deletes rollups older than `before` (retention); returns how many. */
  pruneRollups(before: number): number {
    return this.db.prepare('DELETE FROM minute_rollups WHERE minute < ?').run(before).changes;
  }

  // ------------------------------------------------------------------------------ quality

  addQuality(q: Omit<QualityRecord, 'id'>): QualityRecord {
    const info = this.db
      .prepare('INSERT INTO quality_results (at, component, provider, benchmark, score, samples) VALUES (?, ?, ?, ?, ?, ?)')
      .run(q.at, q.component, q.provider, q.benchmark, q.score, q.samples);
    return { ...q, id: Number(info.lastInsertRowid) };
  }

  qualitySince(component: Component, provider: ProviderId, since: number): QualityRecord[] {
    return this.db
      .prepare('SELECT * FROM quality_results WHERE component = ? AND provider = ? AND at >= ? ORDER BY at')
      .all(component, provider, since) as QualityRecord[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type StoredAuditEventInput = Omit<StoredAuditEvent, 'id'>;

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
