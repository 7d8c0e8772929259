// Sends notifications to every channel that wants them (by severity and kind), off the caller's path: notify()
// returns at once, each channel is tried with a timeout and retried with exponential backoff, and a failure is
// logged and forgotten. Only the analysis leader sends (isLeader), so replicas never repeat one another, and a
// critical alert on the same condition is sent at most once per debounce period.
import { ExponentialBackoff, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import type { NotificationChannelConfig } from '@bascule/contracts';
import { SEVERITY_RANK, type Notification, type Sink } from './types.ts';

export interface NotifierLogger {
  warn(obj: object, msg: string): void;
}

export interface Route {
  sink: Sink;
  minSeverity: NotificationChannelConfig['minSeverity'];
  events?: readonly Notification['kind'][];
}

export interface NotifierOptions {
  routes: readonly Route[];
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  criticalDebounceMs: number;
  /** Whether this replica leads the analysis (default: always, as a single gateway does). */
  isLeader?: () => boolean;
  now?: () => number;
  log: NotifierLogger;
}

export interface DeliveryResult {
  channel: string;
  type: Sink['type'];
  ok: boolean;
  error?: string;
}

export class Notifier {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Last time each critical key was sent, and how many were held back since. */
  private readonly debounce = new Map<string, { sentAt: number; held: number }>();

  constructor(private readonly o: NotifierOptions) {}

  get channels(): readonly string[] {
    return this.o.routes.map((r) => r.sink.name);
  }

  /** Queues `n` for every matching channel; never throws, never waits. */
  notify(n: Notification): void {
    if (this.o.isLeader && !this.o.isLeader()) return;
    const routes = this.o.routes.filter((r) => SEVERITY_RANK[n.severity] >= SEVERITY_RANK[r.minSeverity] && (!r.events || r.events.includes(n.kind)));
    if (routes.length === 0) return;
    const held = this.heldBack(n);
    if (held === null) return;
    const message = held > 0 ? { ...n, message: `${n.message}\n(${held} more of the same held back since the last message)` } : n;
    for (const route of routes) this.track(this.deliver(route.sink, message));
  }

  /** Sends `n` to every channel now, whatever its routing, and says how each went (`bascule notify test`). */
  async test(n: Notification): Promise<DeliveryResult[]> {
    const p = Promise.all(this.o.routes.map((r) => this.deliver(r.sink, n)));
    this.track(p);
    return p;
  }

  /** Resolves when every notification in flight has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.settled();
    for (const r of this.o.routes) r.sink.close?.();
  }

  /** null: debounced. Otherwise how many of the same key were held back since the last one sent. */
  private heldBack(n: Notification): number | null {
    if (n.severity !== 'critical' || n.key === undefined || this.o.criticalDebounceMs <= 0) return 0;
    const now = (this.o.now ?? Date.now)();
    const seen = this.debounce.get(n.key);
    if (seen && now - seen.sentAt < this.o.criticalDebounceMs) {
      seen.held += 1;
      return null;
    }
    this.debounce.set(n.key, { sentAt: now, held: 0 });
    return seen?.held ?? 0;
  }

  private async deliver(sink: Sink, n: Notification): Promise<DeliveryResult> {
    const policy = wrap(
      retry(handleAll, { maxAttempts: this.o.retries, backoff: new ExponentialBackoff({ initialDelay: this.o.backoffMs, maxDelay: this.o.backoffMs * 32 }) }),
      timeout(this.o.timeoutMs, TimeoutStrategy.Aggressive),
    );
    try {
      await policy.execute(({ signal }) => sink.send(n, signal));
      return { channel: sink.name, type: sink.type, ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.o.log.warn({ err: message, channel: sink.name, kind: n.kind }, `${sink.type} notification failed`);
      return { channel: sink.name, type: sink.type, ok: false, error: message };
    }
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
