// `bascule status [component]`: each component's status, weight, step, health, p95, breakers and alerts, and
// the gateway replicas with their last heartbeat (an older gateway without `/replicas` lists none).
import type { ComponentSummary } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { ms, pct } from '../format.ts';
import type { Output } from '../output.ts';

export async function status(client: AdminClient, out: Output, component?: string): Promise<ExitCode> {
  const list = component ? [await client.get<ComponentSummary>(`/components/${encodeURIComponent(component)}`)] : (await client.get<{ components: ComponentSummary[] }>('/components')).components;
  const replicas = await client.get<{ replicas: ReplicaLine[] }>('/replicas').then((r) => r.replicas, () => [] as ReplicaLine[]);
  if (out.json) {
    out.data({ components: list, replicas });
    return EXIT.OK;
  }
  out.table(
    ['component', 'status', 'weight', 'step', 'health', 'p95', 'errors', 'production', 'mvp', 'alerts'],
    list.map((c) => [
      c.component,
      paintStatus(out, c.status),
      `${c.weight} %`,
      c.step === null ? '—' : `${c.step + 1}/${c.plan.steps.length}`,
      c.health === null ? '—' : String(c.health),
      ms(c.metrics.p95Ms),
      pct(c.metrics.errorRate),
      `${c.providers.production.id} (${paintBreaker(out, c.providers.production.breaker)})`,
      `${c.providers.mvp.id} (${paintBreaker(out, c.providers.mvp.breaker)})`,
      c.alerts.length === 0 ? '0' : out.paint(`${c.alerts.length} (${c.alerts.filter((a) => a.severity === 'critical').length} critical)`, 'bad'),
    ]),
  );
  for (const c of list) for (const a of c.alerts) out.line(`  ${out.paint(a.severity.toUpperCase(), a.severity === 'critical' ? 'bad' : 'warn')} ${c.component}: ${a.message}`);
  if (replicas.length > 0) {
    const seen = (r: ReplicaLine) => `${out.paint(r.status, r.status === 'up' ? 'good' : 'bad')}, heartbeat ${(r.ageMs / 1000).toFixed(1)} s ago`;
    out.line(`replicas: ${replicas.map((r) => `${r.id}${r.self ? ' (this one)' : ''} ${r.address ?? ''} ${seen(r)}`.replace(/ +/g, ' ')).join('; ')}`);
  }
  return EXIT.OK;
}

interface ReplicaLine {
  id: string;
  address: string | null;
  self: boolean;
  ageMs: number;
  status: 'up' | 'down';
}

function paintStatus(out: Output, s: string): string {
  return out.paint(s, s === 'rollback' ? 'bad' : s === 'production' ? 'good' : s === 'migrating' ? 'warn' : 'dim');
}

function paintBreaker(out: Output, b: string): string {
  return b === 'closed' ? b : out.paint(b, 'bad');
}
