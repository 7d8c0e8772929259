// Notifies a webhook of automatic decisions. Never blocks the analysis loop and never throws: a slow or
// failing receiver is logged and forgotten.
import { request } from 'undici';

export interface WebhookLogger {
  warn(obj: object, msg: string): void;
}

export interface WebhookNotifier {
  notify(payload: object): void;
  /** Resolves when every notification in flight has finished (tests, shutdown). */
  settled(): Promise<void>;
}

export function createWebhookNotifier(url: string | undefined, timeoutMs: number, log: WebhookLogger): WebhookNotifier {
  const inFlight = new Set<Promise<void>>();
  return {
    notify(payload) {
      if (url === undefined) return;
      const p = send(url, timeoutMs, payload)
        .catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error), url }, 'webhook notification failed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function send(url: string, timeoutMs: number, payload: object): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`webhook answered ${res.statusCode}`);
}
