// The benchmark's report: one summary per provider, and every item's verdict (what `--json` prints).
import type { Component, ProviderId } from '@bascule/routing';
import type { Judged } from './probes/types.ts';

export interface ItemResult extends Judged {
  id: string;
  provider: ProviderId;
  /** The call answered (false: it failed, and counts as a wrong answer). */
  ok: boolean;
  latencyMs: number;
  costEur: number;
}

export interface ProviderSummary {
  provider: ProviderId;
  role: 'mvp' | 'production';
  items: number;
  errors: number;
  /** Answers right as a whole (stt: exact transcripts; vision: letters read; tts/llm: every check held). */
  correct: number;
  /** correct / items. */
  accuracy: number;
  /** stt only: Σ word edits / Σ reference words, and the same over characters. */
  wer?: number;
  cer?: number;
  /** What is posted as the quality measure: 1 − WER (at least 0) for stt, the accuracy otherwise. */
  score: number;
  latencyMs: { p50: number; p95: number; mean: number };
  costPerRequestEur: number;
}

export interface BenchReport {
  benchmark: string;
  component: Component;
  startedAt: string;
  durationMs: number;
  /** Corpus items sent to every provider. */
  items: number;
  providers: ProviderSummary[];
  results: ItemResult[];
}
