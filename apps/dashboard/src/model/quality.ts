// `GET /admin/v1/components/{c}/quality` → what the quality panel shows: the shadow comparison's agreement
// over time per provider (a chart), each benchmark's last result per provider (a table), and the body of a
// listening test to record. Benchmark names starting with `shadow:` are the gateway's own per-minute rows
// (one per replica): a minute's rows add up, weighted by their samples.
import { isObject, readArray, readNumber, readString } from './read.ts';
import type { SeriesSet } from './series.ts';

export const SHADOW_PREFIX = 'shadow:';
export const AGREEMENT = `${SHADOW_PREFIX}agreement`;
export const LISTENING_TEST = 'listening-test';
export const NOTE_MAX = 500;

export interface QualityResultView {
  at: string;
  t: number;
  benchmark: string;
  score: number;
  samples: number;
  note: string | null;
}

export interface QualityView {
  providers: { provider: string; results: QualityResultView[] }[];
  truncated: boolean;
}

function normalizeResult(raw: unknown): QualityResultView | null {
  const at = readString(raw, 'at');
  const t = at === null ? Number.NaN : Date.parse(at);
  const benchmark = readString(raw, 'benchmark');
  const score = readNumber(raw, 'score');
  if (benchmark === null || score === null || Number.isNaN(t)) return null;
  return { at: at!, t, benchmark, score, samples: readNumber(raw, 'samples') ?? 0, note: readString(raw, 'note') };
}

export function normalizeQuality(raw: unknown): QualityView {
  const providers = readArray(raw, 'providers')
    .filter(isObject)
    .map((p) => ({
      provider: readString(p, 'provider') ?? '?',
      results: readArray(p, 'results')
        .map(normalizeResult)
        .filter((r): r is QualityResultView => r !== null)
        .sort((a, b) => a.t - b.t),
    }));
  return { providers, truncated: isObject(raw) && raw.truncated === true };
}

/** The shadow agreement per provider, one point per `bucketMs` (sample-weighted over replicas and minutes). */
export function agreementSeries(view: QualityView, bucketMs = 60_000): SeriesSet {
  const buckets = new Map<number, Map<string, { weighted: number; samples: number }>>();
  for (const { provider, results } of view.providers) {
    for (const r of results) {
      if (r.benchmark !== AGREEMENT || r.samples <= 0) continue;
      const t = Math.floor(r.t / bucketMs) * bucketMs;
      const row = buckets.get(t) ?? new Map<string, { weighted: number; samples: number }>();
      const cell = row.get(provider) ?? { weighted: 0, samples: 0 };
      cell.weighted += r.score * r.samples;
      cell.samples += r.samples;
      row.set(provider, cell);
      buckets.set(t, row);
    }
  }
  const times = [...buckets.keys()].sort((a, b) => a - b);
  const providers = view.providers.map((p) => p.provider).filter((p) => times.some((t) => buckets.get(t)!.has(p)));
  return {
    x: times.map((t) => t / 1000),
    series: providers.map((provider) => ({
      provider,
      label: provider,
      values: times.map((t) => {
        const cell = buckets.get(t)!.get(provider);
        return cell ? cell.weighted / cell.samples : null;
      }),
    })),
  };
}

export interface AgreementSummary {
  provider: string;
  score: number;
  samples: number;
}

/** Each provider's agreement over the whole range (sample-weighted), for the chart's text alternative. */
export function agreementSummary(view: QualityView): AgreementSummary[] {
  return view.providers.flatMap(({ provider, results }) => {
    const rows = results.filter((r) => r.benchmark === AGREEMENT);
    const samples = rows.reduce((n, r) => n + r.samples, 0);
    return samples > 0 ? [{ provider, score: rows.reduce((n, r) => n + r.score * r.samples, 0) / samples, samples }] : [];
  });
}

export interface BenchmarkRow extends QualityResultView {
  provider: string;
}

/** The last result of each benchmark (not the shadow rows) per provider, newest first. */
export function latestBenchmarks(view: QualityView): BenchmarkRow[] {
  const last = new Map<string, BenchmarkRow>();
  for (const { provider, results } of view.providers) {
    for (const r of results) {
      if (r.benchmark.startsWith(SHADOW_PREFIX)) continue;
      const key = `${provider}\u0000${r.benchmark}`;
      const seen = last.get(key);
      if (!seen || r.t >= seen.t) last.set(key, { ...r, provider });
    }
  }
  return [...last.values()].sort((a, b) => b.t - a.t || a.provider.localeCompare(b.provider));
}

export interface ListeningTestInput {
  provider: string;
  /** As typed: a percentage, 0 to 100. */
  scorePercent: string;
  /** As typed: how many words or sentences were listened to. */
  samples: string;
  note: string;
}

export type ListeningTestCheck =
  | { ok: true; body: { benchmark: string; provider: string; score: number; samples: number; note?: string } }
  | { ok: false; field: 'score' | 'samples' | 'note' };

/** The `POST …/quality` body of a listening test, or the field that is wrong. */
export function listeningTestBody(input: ListeningTestInput): ListeningTestCheck {
  const percent = Number(input.scorePercent.replace(',', '.'));
  if (input.scorePercent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) return { ok: false, field: 'score' };
  const samples = Number(input.samples);
  if (!Number.isInteger(samples) || samples < 1) return { ok: false, field: 'samples' };
  const note = input.note.trim();
  if (note.length > NOTE_MAX) return { ok: false, field: 'note' };
  return { ok: true, body: { benchmark: LISTENING_TEST, provider: input.provider, score: Math.round(percent * 10) / 1000, samples, ...(note ? { note } : {}) } };
}
