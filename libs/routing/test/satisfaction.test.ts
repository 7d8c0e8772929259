import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SATISFACTION_MIN_RATINGS,
  addRating,
  defaultCriteria,
  satisfactionCriterion,
  evaluateCriteria,
  evaluateSatisfactionAlert,
  mergeSatisfaction,
  minuteOfRating,
  summarizeSatisfaction,
  type Rating,
  type SatisfactionMinute,
  type WindowStats,
} from '../src/index.ts';

const rating = (score: number, over: Partial<Rating> = {}): Rating => ({ at: 90_000, component: 'tts', provider: 'coqui', route: 'production', rater: 'student', score, ...over });
const minutes = (scores: number[], over: Partial<Rating> = {}): SatisfactionMinute[] => mergeSatisfaction(scores.map((s) => minuteOfRating(rating(s, over))));

describe('satisfaction aggregates', () => {
  it('sorts ratings into NPS bands: promoters 9–10, passives 7–8, detractors 0–6', () => {
    const stats = summarizeSatisfaction(minutes([10, 9, 8, 7, 6, 0]));
    expect(stats).toMatchObject({ ratings: 6, promoters: 2, passives: 2, detractors: 2, nps: 0 });
    expect(stats.mean).toBeCloseTo(40 / 6);
    expect(stats.histogram).toEqual([1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('keeps one aggregate per minute, component, provider, route and rater, and filters on them', () => {
    const all = mergeSatisfaction([...minutes([9, 9]), ...minutes([3], { route: 'mvp', provider: 'web-speech' }), ...minutes([8], { rater: 'teacher' }), ...minutes([5], { at: 150_000 })]);
    expect(all.map((m) => `${m.minute}:${m.route}:${m.rater}:${m.count}`).sort()).toEqual(['120000:production:student:1', '60000:mvp:student:1', '60000:production:student:2', '60000:production:teacher:1']);
    expect(summarizeSatisfaction(all, { route: 'production', rater: 'student' })).toMatchObject({ ratings: 3, mean: 23 / 3 });
    expect(summarizeSatisfaction(all, { provider: 'web-speech' })).toMatchObject({ ratings: 1, mean: 3, nps: -100 });
    expect(summarizeSatisfaction([])).toMatchObject({ ratings: 0, mean: null, nps: null });
  });

  it('refuses a score that is not a whole number from 0 to 10', () => {
    const m = minuteOfRating(rating(5));
    for (const bad of [-1, 11, 7.5, Number.NaN]) expect(() => addRating(m, bad)).toThrow(/score: expected a whole number from 0 to 10/);
    expect(m.count).toBe(1);
  });

  it('adds up the same whichever way the ratings are split between writers (replicas, flushes)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 60 }), fc.nat(), (scores, cut) => {
        const at = cut % scores.length;
        const split = mergeSatisfaction([...minutes(scores.slice(0, at)), ...minutes(scores.slice(at))]);
        const whole = summarizeSatisfaction(minutes(scores));
        expect(summarizeSatisfaction(split)).toEqual(whole);
        expect(whole.mean).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length);
      }),
    );
  });
});

describe('the satisfaction criterion and alert', () => {
  const quiet: WindowStats = { requests: 0, errors: 0, errorRate: 0, availability: 1, p50Ms: null, p95Ms: null, p99Ms: null, avgMs: null, costPerRequestEur: null };
  const judge = (scores: number[]) =>
    evaluateCriteria([...defaultCriteria('tts'), satisfactionCriterion()], { production: quiet, mvp: quiet, quality: null, breakerOpen: false, satisfaction: summarizeSatisfaction(minutes(scores)) }).criteria.find((c) => c.id === 'satisfaction')!;

  it('is opt-in (no default criterion waits for ratings an app may never send): at least 7/10 over at least 30 ratings', () => {
    for (const c of ['llm', 'stt', 'tts', 'vision'] as const) expect(defaultCriteria(c).find((x) => x.id === 'satisfaction')).toBeUndefined();
    expect(satisfactionCriterion()).toMatchObject({ id: 'satisfaction', comparator: '>=', target: 7, unit: 'score', minSamples: SATISFACTION_MIN_RATINGS });
    expect(satisfactionCriterion(8).target).toBe(8);
  });

  it('passes at 7/10, fails below, waits for enough ratings', () => {
    expect(judge(new Array<number>(30).fill(7))).toMatchObject({ verdict: 'PASS', measured: 7, samples: 30 });
    expect(judge([...new Array<number>(29).fill(7), 6])).toMatchObject({ verdict: 'FAIL', samples: 30 });
    expect(judge(new Array<number>(29).fill(2))).toMatchObject({ verdict: 'INCONCLUSIVE', samples: 29 });
  });

  it('alerts (warning) below 7/10 from 10 ratings, naming the provider', () => {
    const subject = { component: 'tts' as const, provider: 'coqui' as const };
    expect(evaluateSatisfactionAlert(summarizeSatisfaction(minutes(new Array<number>(10).fill(6))), subject)).toEqual([
      expect.objectContaining({ id: 'tts:coqui:satisfaction', severity: 'warning', metric: 'satisfaction', value: 6, threshold: 7 }),
    ]);
    expect(evaluateSatisfactionAlert(summarizeSatisfaction(minutes(new Array<number>(9).fill(0))), subject)).toEqual([]);
    expect(evaluateSatisfactionAlert(summarizeSatisfaction(minutes(new Array<number>(10).fill(7))), subject)).toEqual([]);
  });
});
