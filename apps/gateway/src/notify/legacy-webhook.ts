// The legacy setting (config `webhook` without `notifications`): rollbacks as generic JSON to one URL, tried once.
import { Notifier, type NotifierLogger } from './notifier.ts';
import { webhookSink } from './webhook.ts';

export function webhookOnly(webhook: { url?: string; timeoutMs: number } | undefined, log: NotifierLogger): Notifier {
  const url = webhook?.url;
  return new Notifier({
    routes: url === undefined ? [] : [{ sink: webhookSink('webhook', url), minSeverity: 'info', events: ['rollback'] }],
    timeoutMs: webhook?.timeoutMs ?? 3_000,
    retries: 0,
    backoffMs: 1,
    criticalDebounceMs: 0,
    log,
  });
}
