// Who hears of what the runtime does: the change feed (this gateway's admin streams) and, for what a person
// must know, the notification channels (Flagger's events.go calling its notifier). One place, so the loop
// and the admin actions say what happened and not to whom. The channels are told only from the analysis
// loop, which one gateway runs (the lease holder): replicas never repeat a notification.
import type { Component, Evaluation, ProviderId, RolloutPlan, RolloutState, TrackedAlert } from '@bascule/routing';
import type { ChangeFeed } from '../coordination/feed.ts';
import { alertNotification, noGoNotification, qualityAlertNotification, qualityNotification, rollbackNotification, satisfactionNotification, type Notifier as Channels } from '../notify/index.ts';
import type { StoredAuditEvent } from '../store/index.ts';

export interface RollbackNotice {
  component: Component;
  provider: ProviderId;
  reason: string;
  at: number;
  event: StoredAuditEvent;
}

/**
 * One evaluation, as the analysis loop saw it: the alerts active now and the verdicts. What was told before is
 * the notifier's own memory, not the previous snapshot's: a snapshot taken between two evaluations (a view, a
 * recorded quality result, a transition's refresh) must not swallow an alert or a failure that fired in it.
 */
export interface EvaluationNotice {
  plan: RolloutPlan;
  state: RolloutState;
  alerts: readonly TrackedAlert[];
  evaluation: Evaluation;
  now: number;
}

/** What the channels were told of a component at the last evaluation. */
interface Told {
  alerts: Set<string>;
  verdict: Evaluation['verdict'] | undefined;
  failed: Set<string>;
}

export class Notifier {
  private readonly told = new Map<Component, Told>();

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

  /**
   * What a person must hear of an evaluation, once: critical alerts, the quality alert (the plan's health
   * check, which no automatic rollback acts on) and the satisfaction alert as they fire, a new NO-GO in migration, a new quality failure.
   */
  evaluated(o: EvaluationNotice): void {
    const component = o.plan.component;
    const told = this.told.get(component) ?? { alerts: new Set<string>(), verdict: undefined, failed: new Set<string>() };
    for (const alert of o.alerts) {
      if (told.alerts.has(alert.id)) continue;
      if (alert.metric === 'quality') this.channels.notify(qualityAlertNotification(alert, o.now));
      else if (alert.metric === 'satisfaction') this.channels.notify(satisfactionNotification(alert, o.now));
      else if (alert.severity === 'critical') this.channels.notify(alertNotification(alert, o.now));
    }
    if (o.state.status === 'migrating' && o.evaluation.verdict === 'NO-GO' && told.verdict !== 'NO-GO') {
      const failed = o.evaluation.criteria.filter((c) => c.verdict === 'FAIL');
      this.channels.notify(noGoNotification({ component, provider: o.plan.productionProvider, weight: o.state.weight, failed, at: o.now }));
    }
    for (const c of o.evaluation.criteria) {
      if ((c.id === 'quality' || c.id === 'accuracy') && c.verdict === 'FAIL' && !told.failed.has(c.id)) {
        this.channels.notify(qualityNotification({ component, provider: o.plan.productionProvider, criterion: c, at: o.now }));
      }
    }
    this.told.set(component, {
      alerts: new Set(o.alerts.map((a) => a.id)),
      verdict: o.evaluation.verdict,
      failed: new Set(o.evaluation.criteria.filter((c) => c.verdict === 'FAIL').map((c) => c.id)),
    });
  }

  settled(): Promise<void> {
    return this.channels.settled();
  }
}
