// One source for the criteria: each phase runbook's GO/NO-GO block is the one generated from the engine's
// defaults. Fails when a default changes without `npx tsx scripts/criteria-tables.ts`, or a runbook is edited by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { criteriaBlock, criteriaBlockIn } from '../src/index.ts';

const RUNBOOKS = { llm: '02-phase-llm.md', stt: '03-phase-stt.md', tts: '04-phase-tts.md', vision: '05-phase-vision.md' } as const;

describe('runbook criteria', () => {
  it.each(Object.entries(RUNBOOKS) as Array<[keyof typeof RUNBOOKS, string]>)('%s: %s prints the engine\'s criteria', (component, file) => {
    const text = readFileSync(new URL(`../../../docs/runbooks/${file}`, import.meta.url), 'utf8');
    const block = criteriaBlockIn(text, component);
    expect(block, `${file} has no criteria:${component} block`).not.toBeNull();
    expect(block).toBe(criteriaBlock(component));
  });

  it('prints the plan\'s criteria the engine judges', () => {
    expect(criteriaBlock('llm')).toContain('| Cost per request vs MVP (−30 %) (`cost_ratio`) | < 70 % | 200 requests |');
    expect(criteriaBlock('llm')).toContain('| Projected monthly cost (`monthly_cost`) | < 150 € | 200 requests |');
    expect(criteriaBlock('vision')).toContain('| Accuracy gain over EasyOCR (`accuracy_gain`) | > +10 points | 50 benchmark samples |');
    expect(criteriaBlock('stt')).toContain('10 % for 48h, 50 % for 48h, 100 % for 7d');
  });

  it('notices a runbook edited by hand', () => {
    const text = readFileSync(new URL('../../../docs/runbooks/03-phase-stt.md', import.meta.url), 'utf8').replace('| < 50 % |', '| < 60 % |');
    expect(criteriaBlockIn(text, 'stt')).not.toBe(criteriaBlock('stt'));
  });
});
