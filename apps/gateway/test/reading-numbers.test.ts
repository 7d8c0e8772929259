// Numbers in digits read as a French child says them (src/reading/numbers.ts), worked out by hand.
import { describe, expect, it } from 'vitest';
import { checkReading } from '../src/reading/index.ts';
import { spellCardinal, spellNumberToken } from '../src/reading/numbers.ts';

const spell = (n: number) => spellCardinal(n).join(' ');

describe('French numbers', () => {
  it.each([
    [0, 'zéro'], [3, 'trois'], [16, 'seize'], [17, 'dix sept'], [21, 'vingt et un'], [22, 'vingt deux'],
    [70, 'soixante dix'], [71, 'soixante et onze'], [79, 'soixante dix neuf'], [80, 'quatre vingts'],
    [81, 'quatre vingt un'], [90, 'quatre vingt dix'], [91, 'quatre vingt onze'], [100, 'cent'],
    [101, 'cent un'], [200, 'deux cents'], [201, 'deux cent un'], [1000, 'mille'], [1001, 'mille un'],
    [2000, 'deux mille'], [80_000, 'quatre vingt mille'], [200_000, 'deux cent mille'],
    [1_000_000, 'un million'], [3_000_080, 'trois millions quatre vingts'],
  ])('%i is read "%s"', (n, words) => {
    expect(spell(n)).toBe(words);
  });

  it.each([
    ['1er', 'premier'], ['1re', 'première'], ['1ère', 'première'], ['2nd', 'second'], ['2e', 'deuxième'],
    ['5e', 'cinquième'], ['9ème', 'neuvième'], ['21e', 'vingt et unième'], ['80e', 'quatre vingtième'],
    ['100e', 'centième'], ['1000e', 'millième'],
  ])('the ordinal %s is read "%s"', (token, words) => {
    expect(spellNumberToken(token)?.join(' ')).toBe(words);
  });

  it('leaves alone what is not a number it spells', () => {
    expect(spellNumberToken('CP1')).toBeNull();
    expect(spellNumberToken('3x')).toBeNull();
    expect(spellNumberToken('1234567890')).toBeNull(); // ten digits: a code, not a number to read
    expect(spellNumberToken('0e')).toBeNull();
  });
});

describe('the reading check with numbers', () => {
  it('counts "3" from the recogniser as the "trois" the child read', () => {
    const result = checkReading('Il a trois chats.', 'Il a 3 chats.');
    expect(result.score).toBe(1);
    expect(result.wer).toBe(0);
  });

  it('reads digits in the expected text too, compounds and ordinals included', () => {
    expect(checkReading('Il a 21 ans.', 'il a vingt-et-un ans').score).toBe(1);
    expect(checkReading('Le 1er jour', 'le premier jour').score).toBe(1);
    expect(checkReading('quatre-vingts', '80').score).toBe(1);
  });

  it('still marks a wrong number wrong', () => {
    expect(checkReading('Il a trois chats.', 'Il a 4 chats.').words[2]!.verdict).toBe('substituted');
  });
});
