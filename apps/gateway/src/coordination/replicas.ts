// The gateways as the store knows them: each replica writes a heartbeat (its id, its address, when it
// started) every `heartbeatMs`; the analysis leader reads them every round of its watch and notifies a
// person when one has been silent for `downAfterMs` (once), and when it heartbeats again (once). Whether a
// replica was notified down is kept in its row, so a new leader neither repeats nor misses it. A replica
// that shuts down cleanly takes its row out: it left, it is not down. The GPU host's absence is told
// separately, by the breaker-open alert of its providers (notify/events.ts, `host-down`).
import type { GatewayStore, ReplicaRecord } from '../store/index.ts';
import { replicaDownNotification, replicaUpNotification, type Notification } from '../notify/index.ts';
import { Rounds } from './rounds.ts';

export interface ReplicaIdentity {
  id: string;
  /** Where it listens, once known. */
  address: string | null;
  startedAt: number;
}

interface Log {
  warn(obj: object, msg: string): void;
}

/** One replica's own heartbeat. */
export class ReplicaHeartbeat {
  private timer: NodeJS.Timeout | null = null;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: GatewayStore,
    readonly identity: ReplicaIdentity,
    private readonly heartbeatMs: number,
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes one now, then every `heartbeatMs`; a failed one is logged and the next tries again. */
  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  setAddress(address: string): void {
    this.identity.address = address;
    if (this.timer) void this.beat();
  }

  /**
   * One beat after the one before: two beats in flight on two pooled connections could commit out of order,
   * and the first (written before the address was known) would then hide the address until the next beat.
   */
  beat(): Promise<void> {
    this.last = this.last.then(() => this.write());
    return this.last;
  }

  private async write(): Promise<void> {
    try {
      await this.store.heartbeatReplica(this.identity, this.now());
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error), replica: this.identity.id }, 'replica heartbeat not written');
    }
  }

  /** Stops beating and takes the row out (best effort: a replica that cannot say goodbye is later notified down). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A beat still in flight would otherwise write the row back after it is taken out.
    await this.last;
    await this.store.forgetReplica(this.identity.id).catch(() => undefined);
  }
}

/** The leader's watch over the others' heartbeats. */
export class ReplicaWatch {
  private readonly rounds: Rounds;

  constructor(
    private readonly o: {
      store: GatewayStore;
      self: string;
      downAfterMs: number;
      intervalMs: number;
      notify(n: Notification): void;
      log: Log;
      now?: () => number;
    },
  ) {
    this.rounds = new Rounds(o.intervalMs, () => this.check(), (error) => this.o.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'replica watch failed'));
  }

  /** On winning the lease. */
  start(): void {
    this.rounds.start();
  }

  /** On losing the lease, or closing. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** One look: notifies each replica newly silent past `downAfterMs`, and each notified one that is back. */
  async check(): Promise<ReplicaRecord[]> {
    const now = (this.o.now ?? Date.now)();
    const replicas = await this.o.store.replicas(now);
    for (const r of replicas) {
      if (r.id === this.o.self) continue;
      const silent = r.ageMs > this.o.downAfterMs;
      if (silent && r.downSince === null) {
        await this.o.store.markReplica(r.id, now);
        this.o.notify(replicaDownNotification({ replica: r.id, lastSeen: r.lastSeen, at: now, address: r.address }));
      } else if (!silent && r.downSince !== null) {
        await this.o.store.markReplica(r.id, null);
        this.o.notify(replicaUpNotification({ replica: r.id, downSince: r.downSince, at: now, address: r.address }));
      }
    }
    return replicas;
  }
}

/** How /healthz and the admin API show the replicas. */
export function replicasView(replicas: readonly ReplicaRecord[], self: string, downAfterMs: number) {
  return replicas.map((r) => ({
    id: r.id,
    address: r.address,
    self: r.id === self,
    startedAt: new Date(r.startedAt).toISOString(),
    lastHeartbeat: new Date(r.lastSeen).toISOString(),
    ageMs: r.ageMs,
    status: r.ageMs > downAfterMs ? ('down' as const) : ('up' as const),
  }));
}
