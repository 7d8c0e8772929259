// `bascule notify test`: the gateway sends a test message to every configured channel and says how each went.
import type { NotificationTestResponse } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export async function notifyTest(client: AdminClient, out: Output): Promise<ExitCode> {
  const r = await client.post<NotificationTestResponse>('/notifications/test', {});
  if (out.json) out.data(r);
  else if (r.channels.length === 0) out.line('no notification channel is configured: see the `notifications` section of the gateway config');
  else out.table(['channel', 'type', 'result'], r.channels.map((c) => [c.channel, c.type, c.ok ? out.paint('delivered', 'good') : out.paint(`FAILED: ${c.error ?? ''}`, 'bad')]));
  return r.channels.length > 0 && r.channels.every((c) => c.ok) ? EXIT.OK : EXIT.FAILED;
}
