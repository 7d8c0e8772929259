// `bascule report --month YYYY-MM`: the month's report as Markdown (for a stakeholder e-mail) or JSON.
import type { ComponentSummary, CostsResponse, CriteriaResponse, EventsResponse } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { CliError, EXIT, type ExitCode } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import { buildReport } from '../report-model.ts';
import { renderMarkdown } from '../report-markdown.ts';

export function parseMonth(value: string | undefined, now: Date): string {
  if (value === undefined) return now.toISOString().slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new CliError(EXIT.USAGE, `--month: expected a month as YYYY-MM (e.g. 2026-12), got "${value}"`);
  return value;
}

export async function report(client: AdminClient, out: Output, month: string): Promise<ExitCode> {
  const [costs, { components }, events] = await Promise.all([
    client.get<CostsResponse>(`/costs?month=${month}`),
    client.get<{ components: ComponentSummary[] }>('/components'),
    client.get<EventsResponse>('/events?limit=1000'),
  ]);
  const criteria = await Promise.all(components.map((c) => client.get<CriteriaResponse>(`/components/${c.component}/criteria`)));
  const r = buildReport({ month, costs, components, criteria, events: events.events });
  if (out.json) out.data(r);
  else out.line(renderMarkdown(r));
  return EXIT.OK;
}
