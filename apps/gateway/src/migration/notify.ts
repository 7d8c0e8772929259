// Who hears of what the runtime does: the change feed (this gateway's admin streams) and, for automatic
// rollbacks, the webhook (Flagger's events.go calling its notifier). One place, so the loop and the admin
// actions say what happened and not to whom.
import type { Component, TrackedAlert } from '@bascule/routing';
import type { ChangeFeed } from '../coordination/feed.ts';
import type { StoredAuditEvent } from '../store/index.ts';
import type { WebhookNotifier } from './webhook.ts';

export interface RollbackNotice {
  type: 'bascule.rollback';
  component: Component;
  provider: string;
  reason: string;
  at: string;
  from: StoredAuditEvent['from'];
  to: StoredAuditEvent['to'];
  eventId: string;
}

export class Notifier {
  constructor(
    readonly feed: ChangeFeed,
    private readonly webhook: WebhookNotifier,
  ) {}

  /** A transition committed (here or, through the state sync, on another replica). */
  transition(event: StoredAuditEvent | null, component: Component): void {
    if (event) this.feed.emit({ type: 'event', event });
    this.feed.emit({ type: 'state', component });
  }

  event(event: StoredAuditEvent): void {
    this.feed.emit({ type: 'event', event });
  }

  alert(component: Component, state: 'firing' | 'resolved', alert: TrackedAlert): void {
    this.feed.emit({ type: 'alert', component, state, alert });
  }

  rollback(notice: RollbackNotice): void {
    this.webhook.notify(notice);
  }

  settled(): Promise<void> {
    return this.webhook.settled();
  }
}
