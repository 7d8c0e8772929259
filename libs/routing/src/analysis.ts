// Analysis: from window statistics to a health score, alerts, and the GO/NO-GO verdict of a step.
import type { WindowStats } from './metrics.ts';
import { criterionSpec, DEFAULT_QUALITY_WARNING, DEFAULT_THRESHOLDS, type AlertThresholds, type Comparator, type CriterionSpec, type CriterionMetric } from './criteria.ts';
import type { Component, ProviderId } from './types.ts';
import { capacityMeasure, capacityText, type CapacityForecast } from './capacity.ts';
import { SATISFACTION_ALERT, type SatisfactionStats } from './satisfaction.ts';

// ------------------------------------------------------------------------------------------ alerts

export type AlertSeverity = 'warning' | 'critical';
export type AlertMetric = 'p95_latency' | 'error_rate' | 'health' | 'breaker_open' | 'satisfaction' | 'quality';

/** Same fields as the admin API's Alert, without `since`/`evaluations` (see `trackAlerts`). */
export interface Alert {
  /** `component:provider:metric`, stable per condition. */
  id: string;
  severity: AlertSeverity;
  metric: AlertMetric;
  message: string;
  component: Component;
  provider: ProviderId;
  value: number | null;
  threshold: number | null;
}

/**
 * Health 0..100 of a provider from its window and its quality score, null without either. 100 minus an
 * error penalty (20 points at the critical error rate, at most 60), a latency penalty (none up to half the
 * p95 threshold, 20 points at the threshold, at most 40) and a quality penalty (none down to halfway from a
 * perfect score to the quality threshold, 20 points at the threshold, at most 40): so any alert threshold
 * alone reads 80. Quality counts from `minRequests` samples on.
 */
export function healthScore(stats: WindowStats, thresholds: AlertThresholds = DEFAULT_THRESHOLDS, quality: QualityMeasure | null = null): number | null {
  const qualityScore = countedQuality(quality, thresholds);
  if (stats.requests === 0 && qualityScore === null) return null;
  const errorPenalty = stats.requests === 0 ? 0 : Math.min(60, (stats.errorRate / thresholds.errorRateCritical) * 20);
  const half = thresholds.p95WarningMs / 2;
  const latencyPenalty = stats.p95Ms === null ? 0 : Math.min(40, Math.max(0, ((stats.p95Ms - half) / half) * 20));
  return Math.round(Math.max(0, 100 - errorPenalty - latencyPenalty - qualityPenalty(qualityScore, thresholds)) * 10) / 10;
}

/** The quality score when it has enough samples to judge by, else null. */
function countedQuality(quality: QualityMeasure | null, thresholds: AlertThresholds): number | null {
  return quality !== null && quality.samples >= Math.max(1, thresholds.minRequests) ? quality.score : null;
}

function qualityPenalty(score: number | null, thresholds: AlertThresholds): number {
  if (score === null) return 0;
  const threshold = thresholds.qualityWarning ?? DEFAULT_QUALITY_WARNING;
  const halfway = (1 + threshold) / 2;
  return Math.min(40, Math.max(0, ((halfway - score) / (halfway - threshold)) * 20));
}

export interface AlertSubject {
  component: Component;
  provider: ProviderId;
  /** An open breaker is a critical alert whatever the volume. */
  breakerOpen?: boolean;
  /** The provider's quality score (benchmarks, shadow agreement): a warning below the threshold, and part of its health. */
  quality?: QualityMeasure | null;
}

/** The alerts a provider's window raises now. */
export function evaluateAlerts(stats: WindowStats, thresholds: AlertThresholds, subject: AlertSubject): Alert[] {
  const alerts: Alert[] = [];
  const { component, provider } = subject;
  const add = (metric: AlertMetric, severity: AlertSeverity, value: number | null, threshold: number | null, message: string) =>
    alerts.push({ id: `${component}:${provider}:${metric}`, severity, metric, message, component, provider, value, threshold });
  if (subject.breakerOpen) add('breaker_open', 'critical', 1, null, `${provider}: circuit breaker open`);
  // Its own volume (samples, not requests): the shadow comparison judges a provider no student uses yet.
  const quality = countedQuality(subject.quality ?? null, thresholds);
  const qualityWarning = thresholds.qualityWarning ?? DEFAULT_QUALITY_WARNING;
  if (quality !== null && quality < qualityWarning) {
    add('quality', 'warning', quality, qualityWarning, `${provider}: quality ${pct(quality)} < ${pct(qualityWarning)} over ${subject.quality!.samples} samples`);
  }
  if (stats.requests < thresholds.minRequests) return alerts;
  if (stats.errorRate > thresholds.errorRateCritical) {
    add('error_rate', 'critical', stats.errorRate, thresholds.errorRateCritical, `${provider}: error rate ${pct(stats.errorRate)} > ${pct(thresholds.errorRateCritical)} over ${stats.requests} requests`);
  }
  if (stats.p95Ms !== null && stats.p95Ms > thresholds.p95WarningMs) {
    add('p95_latency', 'warning', stats.p95Ms, thresholds.p95WarningMs, `${provider}: p95 latency ${Math.round(stats.p95Ms)} ms > ${thresholds.p95WarningMs} ms`);
  }
  const health = healthScore(stats, thresholds, subject.quality ?? null);
  if (health !== null && health < thresholds.healthWarning) {
    add('health', 'warning', health, thresholds.healthWarning, `${provider}: health ${health} < ${thresholds.healthWarning}`);
  }
  return alerts;
}

/**
 * The plan's satisfaction alert (a warning: ratings are a person's signal, not a reason to roll back on
 * their own): the component's mean rating over the last hour below 7/10, from 10 ratings on.
 */
export function evaluateSatisfactionAlert(stats: SatisfactionStats, subject: { component: Component; provider: ProviderId }): Alert[] {
  if (stats.mean === null || stats.ratings < SATISFACTION_ALERT.minRatings || stats.mean >= SATISFACTION_ALERT.below) return [];
  const { component, provider } = subject;
  const mean = Math.round(stats.mean * 10) / 10;
  return [
    {
      id: `${component}:${provider}:satisfaction`,
      severity: 'warning',
      metric: 'satisfaction',
      message: `${component} (${provider}): user satisfaction ${mean}/10 < ${SATISFACTION_ALERT.below}/10 over ${stats.ratings} ratings in the last hour`,
      component,
      provider,
      value: mean,
      threshold: SATISFACTION_ALERT.below,
    },
  ];
}

/** An alert with how long it has held, as the admin API shows it. */
export interface TrackedAlert extends Alert {
  since: number;
  evaluations: number;
}

/** Carries alerts from one evaluation to the next: which fired, which still hold (counted), which resolved. */
export function trackAlerts(previous: readonly TrackedAlert[], current: readonly Alert[], at: number): { active: TrackedAlert[]; fired: TrackedAlert[]; resolved: TrackedAlert[] } {
  const before = new Map(previous.map((a) => [a.id, a]));
  const active = current.map((a) => {
    const seen = before.get(a.id);
    return seen ? { ...a, since: seen.since, evaluations: seen.evaluations + 1 } : { ...a, since: at, evaluations: 1 };
  });
  const now = new Set(current.map((a) => a.id));
  return { active, fired: active.filter((a) => !before.has(a.id)), resolved: previous.filter((a) => !now.has(a.id)) };
}

// ---------------------------------------------------------------------------------------- criteria

export type CriterionVerdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE';
export type GoVerdict = 'GO' | 'NO-GO' | 'HOLD';

/** Same fields as the admin API's Criterion. */
export interface CriterionResult extends CriterionSpec {
  measured: number | null;
  samples: number;
  verdict: CriterionVerdict;
  /** What the figure means, when a number alone does not say it (the capacity forecast's terms). */
  detail?: string;
}

export interface Evaluation {
  criteria: CriterionResult[];
  /** GO: all pass. NO-GO: one fails. HOLD: none fails, one is inconclusive. */
  verdict: GoVerdict;
}

export interface QualityMeasure {
  /** Fraction 0..1 (benchmark score, accuracy, shadow agreement). */
  score: number;
  samples: number;
}

export interface EvaluationInput {
  /** The production provider's window (production route). */
  production: WindowStats;
  /** The MVP provider's window, for comparisons (cost). */
  mvp: WindowStats;
  quality: QualityMeasure | null;
  /** The production provider's breaker is open: a failing signal, never "no data". */
  breakerOpen: boolean;
  /** Reference MVP cost per request (e.g. from the price list) when the MVP window has too few samples. */
  mvpCostPerRequestEur?: number;
  /** Requests a month the component serves (the plan's volume): `monthly_cost` is the cost per request times this. */
  monthlyRequests?: number;
  /** The MVP provider's quality on the same benchmark, for `accuracy_gain` (vision: TrOCR over EasyOCR). */
  mvpQuality?: QualityMeasure | null;
  /**
   * The production provider's benchmark results alone, for `accuracy_gain` (absent: `quality`): agreement with
   * the MVP's answers must not count in a gain over the MVP.
   */
  benchmarkQuality?: QualityMeasure | null;
  /** The production provider's capacity forecast (capacity.ts); absent: `capacity` is INCONCLUSIVE. */
  capacity?: CapacityForecast;
  /** The ratings of the students routed to the production provider over the step (absent: none). */
  satisfaction?: SatisfactionStats | null;
}

/** Evaluates a plan's criteria (`plan.criteria`), plus the built-in `breaker_closed` criterion, into a verdict. */
export function evaluateCriteria(specs: readonly CriterionSpec[], input: EvaluationInput): Evaluation {
  const criteria = specs.map((c) => withDetail(judge(c, measure(c.id, input)), input));
  criteria.push({
    ...criterionSpec('breaker_closed', 'Production circuit breaker closed', '<', 1, 'ratio', 0),
    measured: input.breakerOpen ? 1 : 0,
    samples: input.production.requests,
    verdict: input.breakerOpen ? 'FAIL' : 'PASS',
  });
  if (input.breakerOpen) {
    // No traffic reaches an open provider: its window would read "no data", but the breaker says it failed.
    for (const c of criteria) if (c.id === 'availability' && c.verdict === 'INCONCLUSIVE') c.verdict = 'FAIL';
  }
  const verdict: GoVerdict = criteria.some((c) => c.verdict === 'FAIL') ? 'NO-GO' : criteria.some((c) => c.verdict === 'INCONCLUSIVE') ? 'HOLD' : 'GO';
  return { criteria, verdict };
}

/** The criteria that do not PASS, in words (a FAIL with its detail): what a hold or a refusal names. */
export function openCriteria(evaluation: Evaluation): string[] {
  return evaluation.criteria.filter((c) => c.verdict !== 'PASS').map((c) => (c.verdict === 'FAIL' && c.detail !== undefined ? `${c.id} FAIL: ${c.detail}` : `${c.id} ${c.verdict}`));
}

function measure(id: CriterionMetric, input: EvaluationInput): { measured: number | null; samples: number } {
  const p = input.production;
  switch (id) {
    case 'p95_latency':
      return { measured: p.p95Ms, samples: p.requests };
    case 'p99_latency':
      return { measured: p.p99Ms, samples: p.requests };
    case 'avg_latency':
      return { measured: p.avgMs, samples: p.requests };
    case 'availability':
      return { measured: p.requests === 0 ? null : p.availability, samples: p.requests };
    case 'error_rate':
      return { measured: p.requests === 0 ? null : p.errorRate, samples: p.requests };
    case 'quality':
    case 'accuracy':
      return input.quality === null ? { measured: null, samples: 0 } : { measured: input.quality.score, samples: input.quality.samples };
    case 'cost_ratio': {
      const reference = input.mvpCostPerRequestEur ?? input.mvp.costPerRequestEur;
      const samples = input.mvpCostPerRequestEur === undefined ? Math.min(p.requests, input.mvp.requests) : p.requests;
      if (p.costPerRequestEur === null || reference === null || reference <= 0) return { measured: null, samples };
      return { measured: p.costPerRequestEur / reference, samples };
    }
    case 'monthly_cost':
      return { measured: p.costPerRequestEur === null || input.monthlyRequests === undefined ? null : p.costPerRequestEur * input.monthlyRequests, samples: p.requests };
    case 'accuracy_gain': {
      const mvp = input.mvpQuality ?? null;
      const production = input.benchmarkQuality !== undefined ? input.benchmarkQuality : input.quality;
      if (production === null || mvp === null) return { measured: null, samples: 0 };
      return { measured: production.score - mvp.score, samples: Math.min(production.samples, mvp.samples) };
    }
    case 'breaker_closed':
      return { measured: input.breakerOpen ? 1 : 0, samples: p.requests };
    case 'capacity':
      return input.capacity === undefined ? { measured: null, samples: 0 } : { measured: capacityMeasure(input.capacity).measured, samples: input.capacity.samples };
    case 'satisfaction':
      return { measured: input.satisfaction?.mean ?? null, samples: input.satisfaction?.ratings ?? 0 };
  }
}

/** The capacity criterion says what it forecast (weight, service time, rate, hosts), so a refusal explains itself. */
function withDetail(result: CriterionResult, input: EvaluationInput): CriterionResult {
  if (result.id !== 'capacity' || input.capacity === undefined) return result;
  return { ...result, detail: capacityText({ ...input.capacity, threshold: result.target }) };
}

function judge(c: CriterionSpec, { measured, samples }: { measured: number | null; samples: number }): CriterionResult {
  if (measured === null || samples < c.minSamples) return { ...c, measured, samples, verdict: 'INCONCLUSIVE' };
  return { ...c, measured, samples, verdict: compare(measured, c.comparator, c.target) ? 'PASS' : 'FAIL' };
}

function compare(value: number, comparator: Comparator, target: number): boolean {
  switch (comparator) {
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    case '>=':
      return value >= target;
  }
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}
