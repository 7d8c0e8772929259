import { describe, expect, it } from 'vitest';
import { nearestStep, stepText } from './step.ts';
import { normalizeComponent } from './normalize.ts';
import { sttPayload } from './fixtures.ts';

const at = (patch: Partial<typeof sttPayload>) => normalizeComponent({ ...sttPayload, ...patch });

describe('stepText', () => {
  it('says the step, 1-based, with its weight, when the weight is the step’s', () => {
    expect(stepText(at({ step: 0, weight: 10 }))).toBe('1 / 3 (10 %)');
    expect(stepText(at({ step: 2, weight: 100, status: 'production' }))).toBe('3 / 3 (100 %)');
  });

  it('says "not started" at weight 0 before the first step', () => {
    expect(stepText(at({ step: -1, weight: 0, status: 'mvp' }))).toBe('not started');
  });

  it('says "manual" and the nearest step after a weight set by hand, never -1 or 0 / 3', () => {
    // The engine keeps step -1 when a weight is set by hand from the MVP.
    expect(stepText(at({ step: -1, weight: 50 }))).toBe('manual — near 2 / 3 (50 %)');
    expect(stepText(at({ step: -1, weight: 25 }))).toBe('manual — near 1 / 3 (10 %)');
    expect(stepText(at({ step: -1, weight: 5 }))).toBe('manual — before 1 / 3 (10 %)');
    expect(stepText(at({ step: 0, weight: 75 }))).toBe('manual — near 2 / 3 (50 %)');
    expect(stepText(at({ step: -1, weight: 50 }), { manual: 'manuel', near: 'proche de', before: 'avant', notStarted: 'pas commencé' })).toBe('manuel — proche de 2 / 3 (50 %)');
  });

  it('names the step a rollback came from', () => {
    expect(stepText(at({ step: 1, weight: 0, status: 'rollback' }))).toBe('2 / 3');
  });

  it('finds the last step at or below a weight', () => {
    expect(nearestStep([10, 50, 100], 50)).toBe(1);
    expect(nearestStep([10, 50, 100], 9.99)).toBe(-1);
    expect(nearestStep([], 50)).toBe(-1);
  });
});
