// One provider's results → its summary: accuracy, WER/CER (stt), the score to post, latency, cost.
import type { Component, ProviderId } from '@bascule/routing';
import type { ItemResult, ProviderSummary } from './report-types.ts';
import { mean, percentile } from './stats.ts';

export function summarise(component: Component, provider: ProviderId, role: ProviderSummary['role'], results: readonly ItemResult[]): ProviderSummary {
  const mine = results.filter((r) => r.provider === provider);
  const correct = mine.filter((r) => r.correct).length;
  const accuracy = mine.length === 0 ? 0 : correct / mine.length;
  // Latency of the calls that answered: a failure's time says how fast it failed, not how fast it serves.
  const latencies = mine.filter((r) => r.ok).map((r) => r.latencyMs);
  const summary: ProviderSummary = {
    provider,
    role,
    items: mine.length,
    errors: mine.filter((r) => !r.ok).length,
    correct,
    accuracy,
    score: accuracy,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), mean: mean(latencies) },
    costPerRequestEur: mean(mine.map((r) => r.costEur)),
  };
  if (component !== 'stt') return summary;
  // Corpus-level rates (Σ edits / Σ reference units), so a long sentence weighs more than a single word.
  const wer = ratio(mine.map((r) => r.words));
  const cer = ratio(mine.map((r) => r.chars));
  return { ...summary, wer, cer, score: Math.max(0, 1 - wer) };
}

function ratio(counts: readonly ({ edits: number; length: number } | undefined)[]): number {
  let edits = 0;
  let length = 0;
  for (const c of counts) {
    if (!c) continue;
    edits += c.edits;
    length += c.length;
  }
  return length === 0 ? 0 : edits / length;
}
