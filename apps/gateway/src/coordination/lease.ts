// Who runs the analysis loop. One gateway among the replicas holds the lease; it starts the loop when it
// wins the lease and stops it when it loses it (as Flagger's main.go runs its controller only while leading).
// With the embedded SQLite store one process owns the file, so it always leads (LocalLease).
import type { Fence } from '../store/index.ts';

export interface LeaseHandlers {
  onAcquired(): void;
  onLost(reason: string): void;
}

export interface Lease {
  /** Whether this process leads now. */
  readonly held: boolean;
  /** The ticket the leader's writes are fenced with; undefined when no fencing is needed (one process). */
  fence(): Fence | undefined;
  start(handlers: LeaseHandlers): void;
  /** Stops renewing and hands the lease back, so another replica takes over at once. */
  stop(): Promise<void>;
  /** For /healthz and the admin API. */
  describe(): { kind: 'local' | 'postgres'; held: boolean; holder: string; ticket: number | null };
}

export class LocalLease implements Lease {
  readonly held = true;

  fence(): undefined {
    return undefined;
  }

  start(handlers: LeaseHandlers): void {
    handlers.onAcquired();
  }

  async stop(): Promise<void> {}

  describe() {
    return { kind: 'local' as const, held: true, holder: 'this process', ticket: null };
  }
}
