// The verdict on a child's letter, shared by the handwriting route and the shadow comparison.
import { sameLetters, type HandwritingVerdict } from '@bascule/contracts';

/** Below this confidence a recognised letter is not trusted: the child is asked to write it again. */
export const UNREADABLE_BELOW = 0.3;

/**
 * A letter is right when what was recognised is that letter under the contract's case rule (sameLetters:
 * o/O, c/C, s/S look alike on paper and match; a/A do not), accents counted (é is not e). The trocr image
 * applies the same rule. Nothing recognised, or too unsure: unreadable.
 */
export function handwritingVerdict(target: string, recognised: string, confidence: number): HandwritingVerdict {
  if (recognised.trim() === '' || confidence < UNREADABLE_BELOW) return 'unreadable';
  return sameLetters(target, recognised) ? 'correct' : 'incorrect';
}

