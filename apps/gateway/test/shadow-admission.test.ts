// Which MVP-served requests the shadow comparison takes: the sample rate, the minute's budget and the
// concurrency bound, with the randomness and the clock in the test's hands; and how the scores are kept.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHADOW } from '@bascule/contracts';
import { Admission, ShadowScores, ShadowSettings } from '../src/shadow/index.ts';
import { countsForCriterion, qualityMeasure } from '../src/migration/quality-measure.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const on = { ...DEFAULT_SHADOW, enabled: true, sampleRate: 1, maxPerMinute: 1000, maxConcurrent: 1000 };

/** A random source that returns `values` in turn. */
const sequence = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('shadow admission', () => {
  it('takes the share the rate says: draws under it are sampled, the others not', () => {
    const admission = new Admission(sequence([0.05, 0.15, 0.25, 0.95, 0.09, 0.5, 0.0, 0.1, 0.3, 0.99]));
    const admitted = Array.from({ length: 10 }, () => admission.admit('stt', { ...on, sampleRate: 0.1 }, T) === null).filter(Boolean).length;
    expect(admitted).toBe(3); // 0.05, 0.09, 0.0: strictly under 0.1
    expect(admission.countsOf('stt')).toEqual({ sampled: 3, dropped: 0, failed: 0, compared: 0 });
  });

  it('a rate of 0 samples nothing, even with a draw of 0', () => {
    const admission = new Admission(() => 0);
    expect(admission.admit('stt', { ...on, sampleRate: 0 }, T)).toBe('not-sampled');
  });

  it('spends at most maxPerMinute a clock minute, then drops and counts; the next minute has its budget again', () => {
    const admission = new Admission(() => 0);
    const budget = { ...on, maxPerMinute: 2 };
    const first = [T, T + 1_000, T + 59_999].map((t) => admission.admit('stt', budget, t));
    expect(first).toEqual([null, null, 'over-budget']);
    expect(admission.admit('stt', budget, T + 60_000)).toBeNull();
    expect(admission.admit('llm', budget, T + 1)).toBeNull(); // each component its own budget
    expect(admission.countsOf('stt')).toMatchObject({ sampled: 4, dropped: 1 });
  });

  it('holds at most maxConcurrent in flight: past it a sampled request is dropped (never queued) until one ends', () => {
    const admission = new Admission(() => 0);
    const bound = { ...on, maxConcurrent: 2 };
    expect([1, 2, 3].map(() => admission.admit('vision', bound, T))).toEqual([null, null, 'full']);
    expect(admission.running('vision')).toBe(2);
    admission.release('vision');
    expect(admission.admit('vision', bound, T)).toBeNull();
    expect(admission.countsOf('vision')).toMatchObject({ sampled: 4, dropped: 1 });
  });
});

describe('shadow settings', () => {
  it('are off for a component never configured, and changed whole', () => {
    const settings = new ShadowSettings({ stt: { ...on, sampleRate: 0.2 } });
    expect(settings.enabled('stt')).toBe(true);
    expect(settings.enabled('tts')).toBe(false);
    expect(settings.get('tts')).toEqual(DEFAULT_SHADOW);
    settings.set('stt', { ...on, enabled: false });
    expect(settings.enabled('stt')).toBe(false);
  });
});

describe('shadow scores', () => {
  it('are kept as a sum and a count per minute, component, provider and measure, and written as means', () => {
    const scores = new ShadowScores();
    scores.add(T + 1_000, 'stt', 'faster-whisper', 'agreement', 1);
    scores.add(T + 2_000, 'stt', 'faster-whisper', 'agreement', 0.5);
    scores.add(T + 3_000, 'stt', 'faster-whisper', 'wer', 3); // clamped to 1
    scores.add(T + 61_000, 'stt', 'faster-whisper', 'agreement', 0);
    expect(scores.take(T + 60_000)).toEqual([
      { at: T, component: 'stt', provider: 'faster-whisper', benchmark: 'shadow:agreement', score: 0.75, samples: 2 },
      { at: T, component: 'stt', provider: 'faster-whisper', benchmark: 'shadow:wer', score: 1, samples: 1 },
    ]);
    expect(scores.size).toBe(1); // the minute still running stays
  });

  it('a failed write comes back, merged with what came meanwhile; past the bound new keys are dropped and counted', () => {
    const scores = new ShadowScores(2);
    scores.add(T, 'stt', 'faster-whisper', 'agreement', 1);
    const taken = scores.take(Number.POSITIVE_INFINITY);
    scores.add(T, 'stt', 'faster-whisper', 'agreement', 0);
    scores.restore(taken);
    scores.add(T, 'stt', 'faster-whisper', 'wer', 0);
    scores.add(T, 'stt', 'faster-whisper', 'cer', 0);
    expect(scores.dropped).toBe(1);
    expect(scores.take(Number.POSITIVE_INFINITY).find((r) => r.benchmark === 'shadow:agreement')).toMatchObject({ score: 0.5, samples: 2 });
  });
});

describe('what the quality criterion counts', () => {
  const row = (benchmark: string, score: number, samples: number) => ({ benchmark, score, samples });

  it('benchmark results and shadow:agreement together, sample-weighted; the other shadow measures never', () => {
    const m = qualityMeasure('stt', [row('corpus-fr', 0.9, 100), row('shadow:agreement', 1, 50), row('shadow:wer', 0.9, 50), row('shadow:matches-expected', 0, 50)]);
    expect(m).toEqual({ score: (0.9 * 100 + 50) / 150, samples: 150 });
  });

  it('for tts (a listening test) no shadow row counts', () => {
    expect(countsForCriterion('tts', 'shadow:agreement')).toBe(false);
    expect(countsForCriterion('tts', 'listening-test')).toBe(true);
    expect(qualityMeasure('tts', [row('shadow:agreement', 1, 50)])).toBeNull();
  });
});
