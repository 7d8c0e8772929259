import { describe, expect, it } from 'vitest';
import { normalizeSatisfaction, satisfactionTone } from './satisfaction.ts';

const answer = {
  component: 'stt',
  range: '1h',
  all: { ratings: 40, mean: 7.5, nps: 10, promoters: 12, passives: 20, detractors: 8, histogram: [] },
  production: { ratings: 30, mean: 6.2, nps: -20 },
  mvp: { ratings: 10, mean: 9.4, nps: 80 },
  alertBelow: 7,
  series: [
    { t: '2026-12-02T10:00:00.000Z', ratings: 0, mean: null },
    { t: '2026-12-02T10:01:00.000Z', ratings: 4, mean: 7.25 },
  ],
};

describe('satisfaction view', () => {
  it('reads the mean, the NPS and the candidate students mean', () => {
    expect(normalizeSatisfaction(answer)).toMatchObject({ ratings: 40, mean: 7.5, nps: 10, productionMean: 6.2, productionRatings: 30, alertBelow: 7 });
    expect(normalizeSatisfaction(answer)!.series).toEqual({ x: [Date.UTC(2026, 11, 2, 10) / 1000, Date.UTC(2026, 11, 2, 10, 1) / 1000], series: [{ label: 'mean /10', provider: 'all', values: [null, 7.25] }] });
    expect(normalizeSatisfaction({ error: { code: 'not_found' } })).toBeNull();
  });

  it('is bad below the alert, good from 8/10, neutral without ratings', () => {
    const view = normalizeSatisfaction(answer)!;
    expect(satisfactionTone(view)).toBe('warn');
    expect(satisfactionTone({ ...view, mean: 6.9 })).toBe('bad');
    expect(satisfactionTone({ ...view, mean: 8 })).toBe('good');
    expect(satisfactionTone({ ...view, mean: null })).toBeUndefined();
    expect(satisfactionTone(null)).toBeUndefined();
  });
});
