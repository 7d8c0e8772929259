// The analysis loop's lease on PostgreSQL: a row with a holder, a ticket and an expiry (Backstage's
// TaskWorker), rather than an advisory lock. A lock lives as long as one TCP connection, so a network cut
// would be noticed only when TCP gives up, and every other replica would have to hold a connection open to
// wait on it; a row is read and written through the ordinary pool, with the database's clock, and its
// ticket fences the leader's writes (saveTransition checks it in the same transaction).
//
// The holder renews every `renewMs`; a replica that finds the row expired takes it with the next ticket.
// A dead holder is replaced within ttlMs + renewMs (6 + 2 s by default, under the 10 s target). A leader that
// cannot renew (database away) stops leading when its own deadline passes, measured from before its last
// successful renewal was sent, so it never believes it leads after the row has expired.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Fence } from '../store/index.ts';
import type { Lease, LeaseHandlers } from './lease.ts';

export interface PostgresLeaseOptions {
  pool: pg.Pool;
  /** Row name (default `analysis`). */
  name?: string;
  /** How long a renewal holds the lease (default 6 s). */
  ttlMs?: number;
  /** How often the holder renews and the others try to take it (default 2 s). */
  renewMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const ACQUIRE = `
  INSERT INTO leases AS l (name, holder, ticket, expires_at) VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, ticket = l.ticket + 1, expires_at = excluded.expires_at
  WHERE l.expires_at <= now()
  RETURNING ticket`;
const RENEW = `UPDATE leases SET expires_at = now() + $4 * interval '1 millisecond' WHERE name = $1 AND holder = $2 AND ticket = $3 AND expires_at > now() RETURNING ticket`;
const RELEASE = 'UPDATE leases SET expires_at = now() WHERE name = $1 AND holder = $2 AND ticket = $3';

export class PostgresLease implements Lease {
  readonly name: string;
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private ticket: number | null = null;
  /** Local time after which this process no longer counts as leader without a renewal. */
  private deadline = 0;
  private timer: NodeJS.Timeout | null = null;
  private handlers: LeaseHandlers | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: PostgresLeaseOptions) {
    this.name = options.name ?? 'analysis';
    this.ttlMs = options.ttlMs ?? 6_000;
    this.renewMs = options.renewMs ?? 2_000;
  }

  get held(): boolean {
    return this.ticket !== null && Date.now() < this.deadline;
  }

  fence(): Fence | undefined {
    // No ticket means not leading: a fence no row can match, so nothing is written.
    return { lease: this.name, ticket: this.held ? this.ticket! : -1 };
  }

  start(handlers: LeaseHandlers): void {
    this.handlers = handlers;
    const round = () => {
      this.running = this.running.then(() => this.round());
    };
    round();
    this.timer = setInterval(round, this.renewMs);
    this.timer.unref();
  }

  /** One renewal (holder) or takeover attempt (others). */
  private async round(): Promise<void> {
    const sentAt = Date.now();
    try {
      if (this.ticket === null) {
        const { rows } = await this.options.pool.query<{ ticket: number }>(ACQUIRE, [this.name, this.holder, this.ttlMs]);
        if (rows.length === 1) this.won(rows[0]!.ticket, sentAt);
        return;
      }
      const { rows } = await this.options.pool.query(RENEW, [this.name, this.holder, this.ticket, this.ttlMs]);
      if (rows.length === 1) this.deadline = sentAt + this.ttlMs;
      else this.lost('another gateway holds the lease');
    } catch (error) {
      if (this.ticket !== null && Date.now() >= this.deadline) this.lost(`could not renew: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private won(ticket: number, sentAt: number): void {
    this.ticket = ticket;
    this.deadline = sentAt + this.ttlMs;
    this.options.log?.info({ lease: this.name, ticket, holder: this.holder }, 'lease acquired: this gateway runs the analysis loop');
    this.handlers?.onAcquired();
  }

  private lost(reason: string): void {
    this.options.log?.warn({ lease: this.name, ticket: this.ticket, reason }, 'lease lost: analysis loop stopped');
    this.ticket = null;
    this.handlers?.onLost(reason);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    const ticket = this.ticket;
    if (ticket === null) return;
    this.ticket = null;
    this.handlers?.onLost('gateway stopping');
    await this.options.pool.query(RELEASE, [this.name, this.holder, ticket]).catch(() => undefined);
  }

  describe() {
    return { kind: 'postgres' as const, held: this.held, holder: this.holder, ticket: this.held ? this.ticket : null };
  }
}
