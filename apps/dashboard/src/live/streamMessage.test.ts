import { describe, expect, it } from 'vitest';
import { applyUpdate, interpretMessage } from './streamMessage.ts';
import { normalizeComponents } from '../model/normalize.ts';
import { llmPayload, sttPayload } from '../model/fixtures.ts';

const message = (data: unknown, event = 'message') => ({ event, id: null, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('stream messages', () => {
  const current = normalizeComponents({ components: [sttPayload, llmPayload] });

  it('replaces everything on a snapshot', () => {
    const update = interpretMessage(message({ components: [llmPayload] }, 'state'));
    expect(applyUpdate(current, update).map((c) => c.component)).toEqual(['llm']);
  });

  it('replaces one component on a component update, bare or wrapped', () => {
    const rolledBack = { ...sttPayload, status: 'rollback', weight: 0 };
    for (const data of [rolledBack, { type: 'component', component: rolledBack }, { type: 'component', data: rolledBack }]) {
      const next = applyUpdate(current, interpretMessage(message(data)));
      expect(next.map((c) => [c.component, c.status, c.weight])).toEqual([
        ['stt', 'rollback', 0],
        ['llm', 'production', 100],
      ]);
    }
  });

  it('asks for a refetch on anything else, including non-JSON', () => {
    expect(interpretMessage(message({ type: 'audit', action: 'weight' }))).toEqual({ kind: 'changed' });
    expect(interpretMessage(message('ping'))).toEqual({ kind: 'changed' });
    expect(applyUpdate(current, { kind: 'changed' })).toBe(current);
  });
});
