// Word and character error rates against cases computed by hand (the edits counted in each comment).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { characterErrorRate, editDistance, normalisedText, wordErrorRate } from '../src/reading/index.ts';

describe('wordErrorRate', () => {
  it('is 0 for the same words, whatever the case, punctuation and silent accents', () => {
    expect(wordErrorRate('Le chat est là.', 'le chat, est la')).toEqual({ edits: 0, length: 4, rate: 0 });
  });

  it('counts one substitution out of four words', () => {
    // le chat est là → le chien est là: chat→chien
    expect(wordErrorRate('le chat est là', 'le chien est là')).toEqual({ edits: 1, length: 4, rate: 0.25 });
  });

  it('counts a deletion and an insertion', () => {
    // le petit chat dort → le chat dort bien: delete "petit", insert "bien"
    expect(wordErrorRate('le petit chat dort', 'le chat dort bien')).toEqual({ edits: 2, length: 4, rate: 0.5 });
  });

  it('exceeds 1 when the hypothesis is much longer than the reference', () => {
    // chat → un gros chat noir: three insertions
    expect(wordErrorRate('chat', 'un gros chat noir').rate).toBe(3);
  });

  it('reads digits as words and keeps the elision', () => {
    expect(wordErrorRate("l'arbre a trois pommes", 'l arbre a 3 pommes').rate).toBe(0);
    // "le arbre" for "l'arbre": one word substituted by two (a substitution and an insertion)
    expect(wordErrorRate("l'arbre", 'le arbre').edits).toBe(2);
  });

  it('keeps the accents that change the sound', () => {
    expect(wordErrorRate('été', 'ete').rate).toBe(1);
  });

  it('has no division by zero on empty texts', () => {
    expect(wordErrorRate('', '').rate).toBe(0);
    expect(wordErrorRate('', 'bonjour').rate).toBe(1);
    expect(wordErrorRate('bonjour', '').rate).toBe(1);
  });
});

describe('characterErrorRate', () => {
  it('counts character edits on the normalised text', () => {
    // "chat" → "chats": one insertion over 4 characters
    expect(characterErrorRate('chat', 'chats')).toEqual({ edits: 1, length: 4, rate: 0.25 });
    // "le lit" (6 characters with the space) → "le nid": l→n, t→d
    expect(characterErrorRate('le lit', 'le nid')).toEqual({ edits: 2, length: 6, rate: 2 / 6 });
  });

  it('ignores case and punctuation', () => {
    expect(characterErrorRate('Bonjour !', 'bonjour').rate).toBe(0);
  });

  it('normalises the text it compares', () => {
    expect(normalisedText('  Où est-il ?  ')).toBe('ou est il');
  });
});

describe('editDistance', () => {
  it('matches the textbook kitten → sitting example (3)', () => {
    expect(editDistance(Array.from('kitten'), Array.from('sitting'))).toBe(3);
  });

  it('is a metric: symmetric, zero only on equal sequences, and within the triangle inequality', () => {
    const seq = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 8 });
    fc.assert(
      fc.property(seq, seq, seq, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a.join() === b.join());
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});
