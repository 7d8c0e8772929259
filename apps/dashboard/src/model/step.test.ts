import { describe, expect, it } from 'vitest';
import { stepText } from './step.ts';
import { normalizeComponent } from './normalize.ts';
import { sttPayload } from './fixtures.ts';

const at = (patch: Record<string, unknown>) => normalizeComponent({ ...sttPayload, ...patch });
const HOUR = 3_600_000;

describe('stepText', () => {
  it('says the step, 1-based, its weight and the time held of its minimum', () => {
    expect(stepText(at({ step: 1, weight: 50, stepTime: { heldMs: 5 * HOUR + 12 * 60_000, minMs: 48 * HOUR, leftMs: 0 } }))).toBe('step 2 of 3 · 50 % · 5 h 12 min of 48 h');
    expect(stepText(at({ step: 0, weight: 10 }))).toBe('step 1 of 3 · 10 %');
  });

  it('in French, with French numbers and durations', () => {
    const fr = { notStarted: 'pas commencé · {weight}', of: 'étape {n} sur {total} · {weight}', held: '{held} sur {min}', byHand: '', beforeFirst: '', rolledBack: '' };
    expect(stepText(at({ step: 2, weight: 100, status: 'production', stepTime: { heldMs: 3 * 24 * HOUR + 4 * HOUR, minMs: 7 * 24 * HOUR, leftMs: 0 } }), fr, 'fr')).toBe('étape 3 sur 3 · 100 % · 3 j 4 h sur 7 j');
  });

  it('says "not started" at weight 0 before the first step', () => {
    expect(stepText(at({ step: -1, weight: 0, status: 'mvp' }))).toBe('not started · 0 %');
  });

  it('says a weight was set by hand, and what the plan says, never "near 2 / 3" for exactly 50 %', () => {
    expect(stepText(at({ step: -1, weight: 50 }))).toBe('set by hand · 50 % (before step 1)');
    expect(stepText(at({ step: 0, weight: 25 }))).toBe('set by hand · 25 % (plan: 10 % at step 1)');
  });

  it('names the step a rollback came from, at 0 %', () => {
    expect(stepText(at({ step: 1, weight: 0, status: 'rollback' }))).toBe('rolled back from step 2 of 3 · 0 %');
  });
});
