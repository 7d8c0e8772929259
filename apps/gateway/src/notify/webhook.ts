// A generic JSON webhook: `type` is `bascule.<kind>`, then the notification's fields; a rollback keeps the
// fields it always had (reason, from, to, eventId), so receivers written for them keep working.
import { postJson } from './http.ts';
import type { Notification, Sink } from './types.ts';

export function webhookPayload(n: Notification): object {
  return {
    type: `bascule.${n.kind}`,
    severity: n.severity,
    title: n.title,
    message: n.message,
    ...(n.component ? { component: n.component } : {}),
    ...(n.provider ? { provider: n.provider } : {}),
    at: new Date(n.at).toISOString(),
    ...(n.facts ? { facts: n.facts } : {}),
    ...n.data,
  };
}

export function webhookSink(name: string, url: string): Sink {
  return { name, type: 'webhook', send: (n, signal) => postJson(url, webhookPayload(n), signal) };
}
