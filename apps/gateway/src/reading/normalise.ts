// How a French teacher compares what a child read with what was written, word by word.
//
// The rule (documented in src/reading/README.md):
//  1. Case never matters ("Le" = "le").
//  2. Punctuation never matters (. , ; : ! ? « » " ( ) … – —); hyphens separate words on both sides
//     ("arc-en-ciel" = "arc en ciel"), so a recogniser writing either form is judged the same.
//  3. Elision belongs to the word it is attached to: "l'arbre" is one word. Typographic apostrophes
//     (’ ʼ ‘ ´) are the same as '. A recogniser that drops the apostrophe ("l arbre") is read as "l'arbre":
//     a lone l, d, j, m, n, s, t, c or qu before a word is elided onto it.
//  4. Accents are ignored only where they do not change how the word is read: à â → a, ù û → u,
//     î → i, ô → o ("a" = "à", "ou" = "où", "la" = "là", "sur" = "sûr": a child reading aloud cannot
//     tell them apart). Accents that change the sound stay: é è ê ë ï ü ç ("été" ≠ "ete", "pêche" ≠
//     "péché", "ça" ≠ "ca"). œ and æ are compared as oe and ae.
//  5. Numbers written in digits are read as words, on both sides: "3" = "trois", "21" = "vingt et un",
//     "1er" = "premier", "2e" = "deuxième" (numbers.ts): Whisper often writes the digits a child read aloud.

/** A word of a text: as written (for display) and the key it is compared by. */
import { spellNumberToken } from './numbers.ts';

export interface Word {
  text: string;
  key: string;
}

const APOSTROPHES = /[’ʼ‘´`]/g;
const ELIDABLE = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);
/** Letters whose accent does not change the sound: folded. Others are kept. */
const SILENT_ACCENTS: Record<string, string> = { à: 'a', â: 'a', ù: 'u', û: 'u', î: 'i', ô: 'o', œ: 'oe', æ: 'ae' };

/** The comparison key of one word (already split): lower case, silent accents folded. */
export function wordKey(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(/[àâùûîôœæ]/g, (c) => SILENT_ACCENTS[c] ?? c);
}

/** Splits a text into words, dropping punctuation and re-attaching elisions. */
export function words(text: string): Word[] {
  const raw = text
    .normalize('NFC')
    .replace(APOSTROPHES, "'")
    // Anything that is not a letter, a digit or an apostrophe separates words (punctuation, hyphens).
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
  const out: Word[] = [];
  for (let i = 0; i < raw.length; i++) {
    let text = raw[i]!;
    // "l arbre" (apostrophe lost by the recogniser) → "l'arbre"
    if (ELIDABLE.has(text.toLowerCase()) && i + 1 < raw.length) {
      text = `${text}'${raw[++i]!}`;
    }
    const spelled = spellNumberToken(text);
    if (spelled) {
      for (const word of spelled) out.push({ text: word, key: wordKey(word) });
      continue;
    }
    out.push({ text, key: wordKey(text) });
  }
  return out;
}
