// `GET /admin/v1/components/{component}/quality?from=&to=`: the quality results over time, per provider, read
// from the store (benchmarks, listening tests, the shadow comparison's rows). The range is checked here so a bad
// query is a 400 naming the parameter, never a scan of the whole table.
import { QUALITY_HISTORY_LIMIT, QUALITY_HISTORY_MAX_SPAN_MS, type QualityHistoryResponse } from '@bascule/contracts';
import type { Component, ProviderId } from '@bascule/routing';
import type { GatewayStore, QualityRecord } from '../store/index.ts';
import { AdminError } from './errors.ts';

/** The span answered when `from` is omitted. */
export const QUALITY_DEFAULT_SPAN_MS = 48 * 3_600_000;
/** Rows read to merge into buckets (a week of per-minute rows from a few replicas and measures). */
const BUCKETED_READ_LIMIT = 200_000;

export interface QualityFilter {
  benchmark?: string;
  shadow?: boolean;
  /** Merge each provider's results of one benchmark per bucket of this width (sample-weighted). */
  bucketMs?: number;
}

/** The `benchmark`, `shadow` and `bucketMs` query parameters. */
export function qualityFilter(query: Record<string, unknown>): QualityFilter {
  const filter: QualityFilter = {};
  const { benchmark, shadow, bucketMs } = query;
  if (benchmark !== undefined) {
    if (typeof benchmark !== 'string' || benchmark.length === 0 || benchmark.length > 200) throw new AdminError('invalid_request', 'benchmark: expected one benchmark name (at most 200 characters)', 'benchmark');
    filter.benchmark = benchmark;
  }
  if (shadow !== undefined) {
    if (shadow !== 'true' && shadow !== 'false') throw new AdminError('invalid_request', `shadow: expected true (only the shadow comparison's rows) or false (none of them), got ${JSON.stringify(shadow)}`, 'shadow');
    filter.shadow = shadow === 'true';
  }
  if (bucketMs !== undefined) {
    const ms = typeof bucketMs === 'string' && /^\d+$/.test(bucketMs) ? Number(bucketMs) : Number.NaN;
    if (!(ms >= 60_000 && ms <= 86_400_000)) throw new AdminError('invalid_request', `bucketMs: expected a whole number of milliseconds from 60000 (a minute) to 86400000 (a day), got ${JSON.stringify(bucketMs)}`, 'bucketMs');
    filter.bucketMs = ms;
  }
  return filter;
}

/** Each provider's results of one benchmark merged per bucket: mean score weighted by samples, samples added. */
export function bucketed(rows: readonly QualityRecord[], bucketMs: number): QualityRecord[] {
  const merged = new Map<string, QualityRecord & { weighted: number }>();
  for (const r of rows) {
    const at = Math.floor(r.at / bucketMs) * bucketMs;
    const key = `${r.provider}\u0000${r.benchmark}\u0000${at}`;
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...r, at, weighted: r.score * r.samples });
      continue;
    }
    into.weighted += r.score * r.samples;
    into.samples += r.samples;
    into.score = into.samples > 0 ? into.weighted / into.samples : r.score;
    into.id = Math.max(into.id, r.id);
    if (r.note !== undefined) into.note = r.note;
  }
  return [...merged.values()].map(({ weighted: _weighted, ...r }) => r).sort((a, b) => a.at - b.at || a.id - b.id);
}

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
export async function qualityHistory(store: Pick<GatewayStore, 'qualityResults'>, component: Component, providers: readonly ProviderId[], range: { from: number; to: number }, filter: QualityFilter = {}): Promise<QualityHistoryResponse> {
  const { bucketMs, ...only } = filter;
  const read = await store.qualityResults({ component, ...range, ...only, limit: bucketMs === undefined ? QUALITY_HISTORY_LIMIT + 1 : BUCKETED_READ_LIMIT });
  const rows = bucketMs === undefined ? read : bucketed(read, bucketMs);
  const truncated = rows.length > QUALITY_HISTORY_LIMIT || read.length >= BUCKETED_READ_LIMIT;
  const kept = rows.length > QUALITY_HISTORY_LIMIT ? rows.slice(rows.length - QUALITY_HISTORY_LIMIT) : rows;
  const byProvider = new Map<ProviderId, QualityRecord[]>(providers.map((p) => [p, []]));
  for (const r of kept) (byProvider.get(r.provider) ?? byProvider.set(r.provider, []).get(r.provider)!).push(r);
  return {
    component,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    truncated,
    ...(bucketMs === undefined ? {} : { bucketMs }),
    providers: [...byProvider].map(([provider, results]) => ({
      provider,
      results: results.map((r) => ({ id: String(r.id), at: new Date(r.at).toISOString(), benchmark: r.benchmark, score: r.score, samples: r.samples, ...(r.note === undefined ? {} : { note: r.note }) })),
    })),
  };
}
