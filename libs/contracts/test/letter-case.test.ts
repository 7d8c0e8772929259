import { describe, expect, it } from 'vitest';
import { CASE_BLIND_LETTERS, sameLetters } from '../src/letter-case.ts';

describe('the letter case rule shared with the trocr image', () => {
  it('does not hold the case of a letter whose capital is the small letter drawn bigger', () => {
    expect(sameLetters('o', 'O')).toBe(true);
    expect(sameLetters('S', 's')).toBe(true);
    expect(CASE_BLIND_LETTERS.has('c')).toBe(true);
  });

  it('counts the case of a letter whose capital has another shape', () => {
    expect(sameLetters('a', 'A')).toBe(false);
    expect(sameLetters('B', 'b')).toBe(false);
    expect(sameLetters('a', 'a')).toBe(true);
  });

  it('always counts accents and the number of letters', () => {
    expect(sameLetters('é', 'e')).toBe(false);
    expect(sameLetters('é', 'è')).toBe(false);
    expect(sameLetters('é', 'e\u0301')).toBe(true); // decomposed é is é
    expect(sameLetters('a', 'aa')).toBe(false);
    expect(sameLetters('a', '')).toBe(false);
  });
});
