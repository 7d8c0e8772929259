// Regenerates the GO/NO-GO criteria block of each phase runbook (docs/runbooks/0[2-5]-phase-*.md) from the
// engine's defaults: `npx tsx scripts/criteria-tables.ts`. libs/contracts/test/runbook-criteria.test.ts fails
// when a runbook and the engine disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withCriteriaBlock } from '../libs/contracts/src/index.ts';

export const RUNBOOKS = { llm: '02-phase-llm.md', stt: '03-phase-stt.md', tts: '04-phase-tts.md', vision: '05-phase-vision.md' } as const;

const dir = fileURLToPath(new URL('../docs/runbooks/', import.meta.url));
for (const [component, file] of Object.entries(RUNBOOKS) as Array<[keyof typeof RUNBOOKS, string]>) {
  const path = `${dir}${file}`;
  const text = readFileSync(path, 'utf8');
  const next = withCriteriaBlock(text, component);
  if (next !== text) {
    writeFileSync(path, next);
    console.log(`updated ${file}`);
  }
}
