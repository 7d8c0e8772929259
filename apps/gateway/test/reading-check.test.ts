// The reading check on hand-worked examples: each expected alignment and WER was worked out by hand.
import { describe, expect, it } from 'vitest';
import { alignWords, checkReading, words, wordKey } from '../src/reading/index.ts';

const verdicts = (expected: string, heard: string) => checkReading(expected, heard).words.map((w) => `${w.verdict}:${w.expected ?? '-'}/${w.heard ?? '-'}`);

describe('normalisation like a French teacher', () => {
  it('ignores case and punctuation', () => {
    expect(words('Le chat, dort !').map((w) => w.key)).toEqual(['le', 'chat', 'dort']);
    expect(checkReading('Le chat dort.', 'le chat dort').wer).toBe(0);
  });

  it('keeps an elision with its word, whatever the apostrophe, and restores a lost one', () => {
    expect(words("L’arbre d'Anne").map((w) => w.key)).toEqual(["l'arbre", "d'anne"]);
    expect(words('l arbre').map((w) => w.key)).toEqual(["l'arbre"]);
    expect(checkReading("J'aime l'école.", 'j aime l’école').words.every((w) => w.verdict === 'correct')).toBe(true);
    // "le arbre" is not "l'arbre": the elision was not made
    expect(verdicts("l'arbre", 'le arbre')).toEqual(['inserted:-/le', 'substituted:l\'arbre/arbre']);
  });

  it('ignores accents that do not change the sound, keeps the ones that do', () => {
    expect(wordKey('à')).toBe(wordKey('a'));
    expect(wordKey('où')).toBe(wordKey('ou'));
    expect(wordKey('sûr')).toBe(wordKey('sur'));
    expect(wordKey('île')).toBe(wordKey('ile'));
    expect(wordKey('été')).not.toBe(wordKey('ete'));
    expect(wordKey('pêche')).not.toBe(wordKey('péché'));
    expect(wordKey('ça')).not.toBe(wordKey('ca'));
    expect(checkReading('Il va à la plage.', 'il va a la plage').score).toBe(1);
    expect(checkReading("C'est l'été.", "c'est l'ete").words[1]!.verdict).toBe('substituted');
  });

  it('splits hyphenated words the same way on both sides', () => {
    expect(checkReading("l'arc-en-ciel", "l'arc en ciel").wer).toBe(0);
  });
});

describe('alignment and WER', () => {
  it('one substitution in four words: WER 1/4, score 3/4', () => {
    const r = checkReading('le chat dort bien', 'le chien dort bien');
    expect(verdicts('le chat dort bien', 'le chien dort bien')).toEqual(['correct:le/le', 'substituted:chat/chien', 'correct:dort/dort', 'correct:bien/bien']);
    expect(r.wer).toBe(0.25);
    expect(r.score).toBe(0.75);
  });

  it('a missing word and an inserted word', () => {
    // expected: la petite souris mange ; heard: la souris mange du fromage
    // la=la, petite missing, souris=souris, mange=mange, +du +fromage → D=1, I=2 → WER 3/4
    const r = checkReading('La petite souris mange.', 'la souris mange du fromage');
    expect(r.words.map((w) => w.verdict)).toEqual(['correct', 'missing', 'correct', 'correct', 'inserted', 'inserted']);
    expect(r.wer).toBe(0.75);
    expect(r.score).toBe(0.75);
  });

  it('WER is errors over the REFERENCE length and may exceed 1', () => {
    // expected 1 word, heard 3 different words: 1 substitution + 2 insertions = 3 errors / 1 word
    const r = checkReading('maison', 'ma grande voiture');
    expect(r.wer).toBe(3);
    expect(r.score).toBe(0);
  });

  it('nothing heard: every word missing, WER 1', () => {
    const r = checkReading('Le loup mange.', '');
    expect(r.words.map((w) => w.verdict)).toEqual(['missing', 'missing', 'missing']);
    expect(r.wer).toBe(1);
    expect(r.score).toBe(0);
  });

  it('a repeated word (a child starting over) is one insertion', () => {
    const r = checkReading('le bateau est bleu', 'le le bateau est bleu');
    expect(r.words.filter((w) => w.verdict === 'inserted')).toHaveLength(1);
    expect(r.wer).toBe(0.25);
    expect(r.score).toBe(1);
  });

  it('the edit distance counts match the Levenshtein distance', () => {
    const a = words('un deux trois quatre cinq');
    const b = words('un trois quatre six cinq sept');
    const al = alignWords(a, b);
    // deux missing, six inserted... or deux→? : minimal edits = 3 (del deux, ins six, ins sept)
    expect(al.substitutions + al.deletions + al.insertions).toBe(3);
    expect(al.correct).toBe(4);
  });

  it('refuses an expected text with no word', () => {
    expect(() => checkReading('… !', 'bonjour')).toThrow(/expected: no word/);
  });
});
