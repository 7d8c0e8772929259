// vision: the production provider's reading of the child's letter against the MVP's: the same letter or
// word (normalised: Unicode NFC, case folded, spaces collapsed; accents count, é is not e), which the
// letter-recognition criterion counts as agreement, and the same verdict for the target letter (correct,
// incorrect or unreadable, as the gateway would answer the child with each).
import type { Handwriting } from '../adapters/index.ts';
import { handwritingVerdict } from '../public/verdict.ts';
import type { ShadowScore } from './scores.ts';

export function compareHandwriting(target: string, mvp: Handwriting, production: Handwriting): ShadowScore[] {
  const sameText = normaliseWriting(mvp.text) === normaliseWriting(production.text);
  const sameVerdict = handwritingVerdict(target, mvp.text, mvp.confidence) === handwritingVerdict(target, production.text, production.confidence);
  return [
    { measure: 'agreement', value: sameText ? 1 : 0 },
    { measure: 'verdict-agreement', value: sameVerdict ? 1 : 0 },
  ];
}

export function normaliseWriting(text: string): string {
  return text.normalize('NFC').trim().toLocaleLowerCase('fr').replace(/\s+/g, ' ');
}
