// How a replica learns of changes made through another one (PostgreSQL): LISTEN on a dedicated client,
// where every committed transition is announced (NOTIFY, sent by the store inside the transaction), plus a
// re-read of every state each `refreshMs` as the safety net for a notification lost with a dropped
// connection. Either way the runtime adopts a state only when its revision is newer than the one it routes
// with. Nothing here is on the request path: routing reads the runtime's memory.
import pg from 'pg';
import { PostgresStore, STATE_CHANNEL, type StateNotice, type StoredAuditEvent, type VersionedState } from '../store/index.ts';

export interface StateSyncTarget {
  /** Stored states read again: newer revisions replace what routing uses. */
  adopt(states: readonly VersionedState[]): void;
  /** An audit event written by another replica. */
  remoteEvent(event: StoredAuditEvent): void;
}

export interface StateSyncOptions {
  store: PostgresStore;
  /** Reads the stored states (through the health-tracked store, so a failure shows in /healthz). */
  loadStates(): Promise<VersionedState[]>;
  events(query: { before: number; limit: number }): Promise<StoredAuditEvent[]>;
  target: StateSyncTarget;
  /** Safety-net re-read period (default 1 s). */
  refreshMs?: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class PostgresStateSync {
  private readonly refreshMs: number;
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private stopped = false;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly options: StateSyncOptions) {
    this.refreshMs = options.refreshMs ?? 1_000;
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
    void this.listen();
  }

  /**
   * Re-reads every state; one read at a time (a slow database does not pile reads up), and a call during a
   * read runs one more after it, so a notice never settles for a read that started before its commit.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        try {
          this.options.target.adopt(await this.options.loadStates());
        } catch {
          // Recorded by the health-tracked store; the next round retries.
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const { store } = this.options;
    const client = new pg.Client(PostgresStore.clientConfig(store.connectionString, store.connectTimeoutMs, store.queryTimeoutMs, 1));
    client.on('error', () => this.retry(client));
    client.on('end', () => this.retry(client));
    client.on('notification', (message) => void this.onNotice(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${STATE_CHANNEL}`);
      if (this.stopped) return void (await client.end().catch(() => undefined));
      this.listener = client;
      // Whatever changed while not listening.
      void this.refresh();
    } catch {
      this.retry(client);
    }
  }

  private retry(client: pg.Client): void {
    if (this.listener === client) this.listener = null;
    client.removeAllListeners('end');
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.listen();
    }, this.refreshMs);
    this.reconnect.unref();
  }

  private async onNotice(payload: string | undefined): Promise<void> {
    let notice: StateNotice;
    try {
      notice = JSON.parse(payload ?? '') as StateNotice;
    } catch {
      return;
    }
    if (notice.origin === this.options.store.origin) return; // this process's own write, already applied
    await this.refresh();
    try {
      const [event] = await this.options.events({ before: notice.eventId + 1, limit: 1 });
      if (event && event.id === notice.eventId) this.options.target.remoteEvent(event);
    } catch {
      // The state is what routes; a stream client missing one event catches up with the next snapshot.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.refreshing;
    const client = this.listener;
    this.listener = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
