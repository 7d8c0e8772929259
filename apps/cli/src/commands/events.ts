// `bascule events`: the audit log, newest first. With --follow, the admin API's event stream as it happens
// (audit events and alerts; `--all` adds the state and metrics snapshots), one line each, or NDJSON with --json.
import type { AuditEvent, EventsResponse } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { readEvents } from '../sse.ts';

export interface EventsOptions {
  component?: string;
  limit: number;
  follow?: boolean;
  all?: boolean;
  /** Stop after this many streamed events (scripts, tests). */
  max?: number;
  signal?: AbortSignal;
}

export async function events(client: AdminClient, out: Output, o: EventsOptions): Promise<ExitCode> {
  if (o.follow) return follow(client, out, o);
  const q = new URLSearchParams({ limit: String(o.limit), ...(o.component ? { component: o.component } : {}) });
  const r = await client.get<EventsResponse>(`/events?${q}`);
  if (out.json) out.data(r);
  else out.table(['at', 'component', 'actor', 'action', 'weight', 'reason'], r.events.map((e) => row(e)));
  return EXIT.OK;
}

function row(e: AuditEvent): string[] {
  return [e.at, e.component, e.actor, e.action, `${e.from.weight} → ${e.to.weight} %`, e.reason];
}

async function follow(client: AdminClient, out: Output, o: EventsOptions): Promise<ExitCode> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  o.signal?.addEventListener('abort', stop, { once: true });
  let seen = 0;
  try {
    const body = await client.stream('/stream', controller.signal);
    if (!out.json) out.line(out.paint(`following ${client.baseUrl}/admin/v1/stream (Ctrl-C stops)`, 'dim'));
    for await (const e of readEvents(body)) {
      if (!o.all && e.event !== 'event' && e.event !== 'alert') continue;
      const data = JSON.parse(e.data) as Record<string, unknown>;
      if (o.component && data.component !== o.component) continue;
      if (out.json) out.line(JSON.stringify({ type: e.event, data }));
      else out.line(describe(out, e.event, data));
      if (o.max !== undefined && ++seen >= o.max) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    o.signal?.removeEventListener('abort', stop);
    controller.abort();
  }
  return EXIT.OK;
}

function describe(out: Output, type: string, d: Record<string, unknown>): string {
  if (type === 'event') {
    const e = d as unknown as AuditEvent;
    return `${e.at}  ${out.paint(e.action, 'bold')} ${e.component} ${e.from.weight} → ${e.to.weight} % by ${e.actor}: ${e.reason}`;
  }
  if (type === 'alert') {
    const a = d.alert as { severity: string; message: string; since: string };
    const firing = d.state === 'firing';
    return `${a.since}  ${out.paint(firing ? `ALERT ${a.severity.toUpperCase()}` : 'RESOLVED', firing ? (a.severity === 'critical' ? 'bad' : 'warn') : 'good')} ${String(d.component)}: ${a.message}`;
  }
  return `${type} ${JSON.stringify(d)}`;
}
