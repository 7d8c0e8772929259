// How the quality criteria read the stored quality results (decision 0015). Two sources share the
// `quality_results` table: benchmark results (posted to the admin API, or by `bench:quality`) and the shadow
// comparison's per-minute rows (`benchmark` = `shadow:<measure>`). The criterion (`quality`, `accuracy`)
// takes the sample-weighted mean of the benchmark results and of the `shadow:agreement` rows together: both
// are "how often the candidate gets it right", the benchmark against a corpus, the shadow against the MVP's
// answer to the same child. The other `shadow:*` measures (wer, cer, duration ratio, …) are diagnostics on
// other scales and never count. For `tts` the criterion is a listening test: no shadow row counts there (a
// duration ratio says nothing of how a voice sounds).
import type { Component, QualityMeasure } from '@bascule/routing';
import type { QualityRecord } from '../store/index.ts';

export const SHADOW_PREFIX = 'shadow:';
/** The shadow measure the quality criteria count. */
export const SHADOW_AGREEMENT = `${SHADOW_PREFIX}agreement`;

/** Whether a stored result counts for the component's quality criterion. */
export function countsForCriterion(component: Component, benchmark: string): boolean {
  if (!benchmark.startsWith(SHADOW_PREFIX)) return true;
  return component !== 'tts' && benchmark === SHADOW_AGREEMENT;
}

/** Sample-weighted mean of the results that count; null when none does. */
export function qualityMeasure(component: Component, results: readonly Pick<QualityRecord, 'benchmark' | 'score' | 'samples'>[]): QualityMeasure | null {
  return weightedMean(results, (r) => countsForCriterion(component, r.benchmark));
}

/**
 * The benchmarks' results alone (no shadow row), for `accuracy_gain`: it compares the candidate with the MVP
 * on a corpus both were run on; shadow agreement measures how often the candidate answers like the MVP, so
 * a candidate right where the MVP is wrong would lose points for it.
 */
export function benchmarkMeasure(results: readonly Pick<QualityRecord, 'benchmark' | 'score' | 'samples'>[]): QualityMeasure | null {
  return weightedMean(results, (r) => !r.benchmark.startsWith(SHADOW_PREFIX));
}

function weightedMean(results: readonly Pick<QualityRecord, 'benchmark' | 'score' | 'samples'>[], counts: (r: Pick<QualityRecord, 'benchmark'>) => boolean): QualityMeasure | null {
  let samples = 0;
  let weighted = 0;
  for (const r of results) {
    if (!counts(r)) continue;
    samples += r.samples;
    weighted += r.score * r.samples;
  }
  return samples === 0 ? null : { score: weighted / samples, samples };
}
