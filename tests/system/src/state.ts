// Reads of the gateways' state through the admin API, in the shapes the scenarios compare.
import type { AuditEvent, ComponentSummary, HistoryResponse } from '@bascule/contracts';
import type { Clients, Replica } from './client.ts';

export const COMPONENTS = ['llm', 'stt', 'tts', 'vision'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export async function components(clients: Clients, replica: Replica): Promise<ComponentSummary[]> {
  return (await clients.read<{ components: ComponentSummary[] }>(replica, '/components')).components;
}

/** `llm:migrating@50 stt:...`: what routing depends on, comparable between replicas. */
export async function routingState(clients: Clients, replica: Replica): Promise<string> {
  return (await components(clients, replica)).map((c) => `${c.component}:${c.status}@${c.weight}`).join(' ');
}

export async function events(clients: Clients, replica: Replica, component: ComponentName, limit = 200): Promise<AuditEvent[]> {
  return (await clients.read<{ events: AuditEvent[] }>(replica, `/events?component=${component}&limit=${limit}`)).events;
}

/** Requests recorded in the per-minute rollups of the last hour, per component (all providers and routes). */
export async function rollupTotals(clients: Clients, replica: Replica): Promise<Record<ComponentName, number>> {
  const totals = { llm: 0, stt: 0, tts: 0, vision: 0 };
  for (const component of COMPONENTS) {
    const history = await clients.read<HistoryResponse>(replica, `/components/${component}/history?range=1h`);
    totals[component] = history.rollups.reduce((sum, r) => sum + r.count, 0);
  }
  return totals;
}

/** PUT weight through one replica; the answer's status (and body when it is not 200). */
export async function setWeight(clients: Clients, replica: Replica, component: ComponentName, weight: number, reason: string) {
  return clients.admin(replica, 'PUT', `/components/${component}/weight`, { weight, reason });
}
