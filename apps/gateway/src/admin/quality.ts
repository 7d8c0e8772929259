// `GET /admin/v1/components/{component}/quality?from=&to=`: the quality results over time, per provider, read
// from the store (benchmarks, listening tests, the shadow comparison's rows). The range is checked here so a bad
// query is a 400 naming the parameter, never a scan of the whole table.
import { QUALITY_HISTORY_LIMIT, QUALITY_HISTORY_MAX_SPAN_MS, type QualityHistoryResponse } from '@bascule/contracts';
import type { Component, ProviderId } from '@bascule/routing';
import type { GatewayStore, QualityRecord } from '../store/index.ts';
import { AdminError } from './errors.ts';

/** The span answered when `from` is omitted. */
export const QUALITY_DEFAULT_SPAN_MS = 48 * 3_600_000;

function instant(name: 'from' | 'to', value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new AdminError('invalid_request', `${name}: expected an ISO 8601 time such as 2026-03-01T08:00:00Z, got ${JSON.stringify(value)}`, name);
  return ms;
}

/** The `from`/`to` query: the last 48 h by default, `from` before `to`, at most 31 days apart. */
export function qualityRange(query: Record<string, unknown>, now: number): { from: number; to: number } {
  const to = instant('to', query.to) ?? now;
  const from = instant('from', query.from) ?? to - QUALITY_DEFAULT_SPAN_MS;
  if (from > to) throw new AdminError('invalid_request', `from: expected a time before to (${new Date(to).toISOString()})`, 'from');
  if (to - from > QUALITY_HISTORY_MAX_SPAN_MS) throw new AdminError('invalid_request', `from: expected at most ${QUALITY_HISTORY_MAX_SPAN_MS / 86_400_000} days before to`, 'from');
  return { from, to };
}

/** The stored results of the range, grouped per provider (in the order the component lists them). */
export async function qualityHistory(store: Pick<GatewayStore, 'qualityResults'>, component: Component, providers: readonly ProviderId[], range: { from: number; to: number }): Promise<QualityHistoryResponse> {
  const rows = await store.qualityResults({ component, ...range, limit: QUALITY_HISTORY_LIMIT + 1 });
  const truncated = rows.length > QUALITY_HISTORY_LIMIT;
  const kept = truncated ? rows.slice(1) : rows;
  const byProvider = new Map<ProviderId, QualityRecord[]>(providers.map((p) => [p, []]));
  for (const r of kept) (byProvider.get(r.provider) ?? byProvider.set(r.provider, []).get(r.provider)!).push(r);
  return {
    component,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    truncated,
    providers: [...byProvider].map(([provider, results]) => ({
      provider,
      results: results.map((r) => ({ id: String(r.id), at: new Date(r.at).toISOString(), benchmark: r.benchmark, score: r.score, samples: r.samples, ...(r.note === undefined ? {} : { note: r.note }) })),
    })),
  };
}
