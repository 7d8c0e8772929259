// What a notification is, whatever channel carries it, and what a channel (a sink) must do with one.
import type { NotificationKind, NotificationSeverity } from '@bascule/contracts';
import type { Component, ProviderId } from '@bascule/routing';

export type { NotificationKind, NotificationSeverity };

export interface Notification {
  kind: NotificationKind;
  severity: NotificationSeverity;
  /** One line: what happened, e.g. "stt rolled back to the MVP". */
  title: string;
  /** What a person needs to know, and what to do. */
  message: string;
  /** When it happened (ms since epoch). */
  at: number;
  component?: Component;
  provider?: ProviderId;
  /** Short facts shown as fields (Slack context, Discord fields, a Teams FactSet, e-mail lines). */
  facts?: Record<string, string>;
  /** Extra fields of the generic JSON webhook (kept as they were for the rollback). */
  data?: Record<string, unknown>;
  /** The same condition gives the same key: critical alerts are debounced by it. */
  key?: string;
}

export const SEVERITY_RANK: Readonly<Record<NotificationSeverity, number>> = { info: 0, warning: 1, critical: 2 };

/** One channel: it formats the notification in its receiver's own format and delivers it once (the notifier retries). */
export interface Sink {
  readonly name: string;
  readonly type: 'slack' | 'discord' | 'teams' | 'webhook' | 'email';
  send(notification: Notification, signal: AbortSignal): Promise<void>;
  close?(): void;
}
