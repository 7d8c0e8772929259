// The change feed inside one gateway: every state change, audit event and alert this process learns of
// (its own, or another replica's through the state sync) goes to the subscribers, such as the admin
// stream's SSE clients. A listener that throws is logged and does not stop the others.
import type { Component, TrackedAlert } from '@bascule/routing';
import type { StoredAuditEvent } from '../store/index.ts';

export type RuntimeChange =
  | { type: 'state'; component: Component }
  | { type: 'event'; event: StoredAuditEvent }
  | { type: 'alert'; component: Component; state: 'firing' | 'resolved'; alert: TrackedAlert };

export interface FeedLogger {
  warn(obj: object, msg: string): void;
}

export class ChangeFeed {
  private readonly listeners = new Set<(change: RuntimeChange) => void>();

  constructor(private readonly log: FeedLogger) {}

  subscribe(listener: (change: RuntimeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open subscriptions (SSE clients). */
  get size(): number {
    return this.listeners.size;
  }

  emit(change: RuntimeChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (error) {
        this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'change listener failed');
      }
    }
  }
}
