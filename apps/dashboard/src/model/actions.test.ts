import { describe, expect, it } from 'vitest';
import { actionRequest, availableActions, plannedChanges, validateReason, validateWeight } from './actions.ts';
import { normalizeComponent } from './normalize.ts';
import { llmPayload, sttPayload } from './fixtures.ts';

const stt = normalizeComponent(sttPayload);

describe('operator actions', () => {
  it('validates the weight and the reason, naming the field', () => {
    expect(validateWeight('12.345')).toBe(12.35);
    expect(() => validateWeight('101')).toThrow(expect.objectContaining({ field: 'weight', messageKey: 'weightInvalid' }));
    expect(validateWeight('12,5')).toBe(12.5);
    expect(() => validateWeight('')).toThrow(/weight/);
    expect(() => validateWeight('abc')).toThrow(/weight/);
    expect(validateReason('  step 2 OK  ')).toBe('step 2 OK');
    expect(() => validateReason(' a ')).toThrow(expect.objectContaining({ field: 'reason', messageKey: 'reasonTooShort' }));
    expect(() => validateReason(' a ', 'override')).toThrow(expect.objectContaining({ field: 'override', messageKey: 'overrideTooShort' }));
  });

  it('shows what a weight change will do, from → to', () => {
    expect(plannedChanges(stt, 'weight', 50)).toEqual([{ field: 'weight', from: '10 %', to: '50 %' }]);
    expect(plannedChanges(stt, 'weight', 0)).toEqual([
      { field: 'weight', from: '10 %', to: '0 %' },
      { field: 'status', from: 'migrating', to: 'mvp' },
    ]);
    expect(plannedChanges(stt, 'weight', 10)).toEqual([]);
  });

  it('shows a rollback as weight → 0 and status → rollback, and resume as rollback → migrating', () => {
    expect(plannedChanges(stt, 'rollback')).toEqual([
      { field: 'weight', from: '10 %', to: '0 %' },
      { field: 'status', from: 'migrating', to: 'rollback' },
    ]);
    const rolledBack = normalizeComponent({ ...sttPayload, status: 'rollback', weight: 0 });
    // A resume says that it sets the first step's weight (10 %), not only the status.
    expect(plannedChanges(rolledBack, 'resume')).toEqual([
      { field: 'weight', from: '0 %', to: '10 %' },
      { field: 'status', from: 'rollback', to: 'migrating' },
    ]);
    expect(availableActions(rolledBack)).toEqual(['weight', 'resume']);
  });

  it('shows a promotion as the move to the plan’s next step', () => {
    expect(plannedChanges(stt, 'promote')).toEqual([{ field: 'weight', from: '10 %', to: '50 %' }]);
    const beforePlan = normalizeComponent({ ...sttPayload, status: 'mvp', weight: 0, step: -1 });
    expect(plannedChanges(beforePlan, 'promote')).toEqual([
      { field: 'weight', from: '0 %', to: '10 %' },
      { field: 'status', from: 'mvp', to: 'migrating' },
    ]);
    const lastStep = normalizeComponent({ ...sttPayload, weight: 50, step: 1 });
    expect(plannedChanges(lastStep, 'promote')).toEqual([
      { field: 'weight', from: '50 %', to: '100 %' },
      { field: 'status', from: 'migrating', to: 'production' },
    ]);
  });

  it('offers promote only before production', () => {
    expect(availableActions(stt)).toEqual(['weight', 'promote', 'rollback']);
    expect(availableActions(normalizeComponent(llmPayload))).toEqual(['weight', 'rollback']);
  });

  it('builds the admin API request of the design', () => {
    expect(actionRequest('stt', 'weight', 'go', 50)).toEqual({ method: 'PUT', path: '/admin/v1/components/stt/weight', body: { weight: 50, reason: 'go' } });
    expect(actionRequest('llm', 'resume', 'fixed')).toEqual({ method: 'POST', path: '/admin/v1/components/llm/resume', body: { reason: 'fixed' } });
  });
});
