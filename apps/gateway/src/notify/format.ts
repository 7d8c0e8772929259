// Wording shared by the channels: the severity's label and colour, the facts of a notification as lines.
import type { Notification, NotificationSeverity } from './types.ts';

export const SEVERITY_LABEL: Readonly<Record<NotificationSeverity, string>> = { info: 'INFO', warning: 'WARNING', critical: 'CRITICAL' };

/** Colours as 0xRRGGBB: red, amber, blue (Discord's embed colour is this integer). */
export const SEVERITY_COLOR: Readonly<Record<NotificationSeverity, number>> = { critical: 0xd32f2f, warning: 0xf9a825, info: 0x1976d2 };

/** Component, provider and the notification's own facts, in that order. */
export function factsOf(n: Notification): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  if (n.component) facts.push(['component', n.component]);
  if (n.provider) facts.push(['provider', n.provider]);
  for (const [k, v] of Object.entries(n.facts ?? {})) facts.push([k, v]);
  facts.push(['at', new Date(n.at).toISOString()]);
  return facts;
}

export function subjectOf(n: Notification): string {
  return `[Bascule] [${SEVERITY_LABEL[n.severity]}] ${n.title}`;
}
