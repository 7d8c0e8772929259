// The one rule for a handwritten letter's case, shared with the trocr image: the data lives in
// rules/letter-case.json, which the image reads too.
import rule from '../rules/letter-case.json' with { type: 'json' };

/** Letters whose capital is the small letter drawn bigger: their case is not held against the child. */
export const CASE_BLIND_LETTERS: ReadonlySet<string> = new Set(rule.caseBlindLetters);

function sameChar(target: string, seen: string): boolean {
  if (target === seen) return true;
  const lower = target.toLocaleLowerCase('fr');
  return lower === seen.toLocaleLowerCase('fr') && CASE_BLIND_LETTERS.has(lower);
}

/**
 * Whether what was recognised is the target letter (or letters): accents always count (é is not e), case
 * counts except on the case-blind letters (o/O match, a/A do not).
 */
export function sameLetters(target: string, seen: string): boolean {
  const t = [...target.normalize('NFC').trim()];
  const s = [...seen.normalize('NFC').trim()];
  return t.length === s.length && t.every((c, i) => sameChar(c, s[i]!));
}
