// Who hears of what the runtime does: the change feed (this gateway's admin streams) and, for what a person
// must know, the notification channels (Flagger's events.go calling its notifier). One place, so the loop
// and the admin actions say what happened and not to whom. The channels are told only from the analysis
// loop, which one gateway runs (the lease holder): replicas never repeat a notification.
import type { Component, Evaluation, ProviderId, RolloutPlan, RolloutState, TrackedAlert } from '@bascule/routing';
import type { ChangeFeed } from '../coordination/feed.ts';
import { alertNotification, noGoNotification, qualityNotification, rollbackNotification, satisfactionNotification, type Notifier as Channels } from '../notify/index.ts';
import type { StoredAuditEvent } from '../store/index.ts';

export interface RollbackNotice {
  component: Component;
  provider: ProviderId;
  reason: string;
  at: number;
  event: StoredAuditEvent;
}

/** One evaluation, as the analysis loop saw it: the alerts active and the verdicts. */
export interface EvaluationNotice {
  plan: RolloutPlan;
  state: RolloutState;
  /** Every alert active now (those a view or an admin action's snapshot saw fire first included). */
  active: readonly TrackedAlert[];
  evaluation: Evaluation;
  now: number;
}

export class Notifier {
  /** Per component, the active alerts already told to a person: each is told once while it holds. */
  private readonly told = new Map<Component, Set<string>>();
  /** Per component, the last evaluation the channels were told of (not the last snapshot: see newlyActive). */
  private readonly judged = new Map<Component, Evaluation>();

  constructor(
    readonly feed: ChangeFeed,
    /** The channels of the config's `notifications` (and its legacy `webhook`). */
    readonly channels: Channels,
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

  rollback(n: RollbackNotice): void {
    this.channels.notify(rollbackNotification({ component: n.component, provider: n.provider, reason: n.reason, at: n.at, from: n.event.from, to: n.event.to, eventId: String(n.event.id) }));
  }

  /** What a person must hear of an evaluation: critical alerts and the satisfaction alert as they fire, a new NO-GO in migration, a new quality failure. */
  evaluated(o: EvaluationNotice): void {
    const component = o.plan.component;
    for (const alert of this.newlyActive(component, o.active)) {
      if (alert.severity === 'critical') this.channels.notify(alertNotification(alert, o.now));
      else if (alert.metric === 'satisfaction') this.channels.notify(satisfactionNotification(alert, o.now));
    }
    const previous = this.judged.get(component);
    this.judged.set(component, o.evaluation);
    if (o.state.status === 'migrating' && o.evaluation.verdict === 'NO-GO' && previous?.verdict !== 'NO-GO') {
      const failed = o.evaluation.criteria.filter((c) => c.verdict === 'FAIL');
      this.channels.notify(noGoNotification({ component, provider: o.plan.productionProvider, weight: o.state.weight, failed, at: o.now }));
    }
    const failedBefore = new Set(previous?.criteria.filter((c) => c.verdict === 'FAIL').map((c) => c.id) ?? []);
    for (const c of o.evaluation.criteria) {
      if ((c.id === 'quality' || c.id === 'accuracy') && c.verdict === 'FAIL' && !failedBefore.has(c.id)) {
        this.channels.notify(qualityNotification({ component, provider: o.plan.productionProvider, criterion: c, at: o.now }));
      }
    }
  }

  /**
   * The active alerts not told yet. Compared with what was told rather than with the previous snapshot: an
   * alert that first fired in a snapshot taken for a view or an admin action is still told on the next round.
   */
  private newlyActive(component: Component, active: readonly TrackedAlert[]): TrackedAlert[] {
    const before = this.told.get(component) ?? new Set<string>();
    this.told.set(component, new Set(active.map((a) => a.id)));
    return active.filter((a) => !before.has(a.id));
  }

  settled(): Promise<void> {
    return this.channels.settled();
  }
}
