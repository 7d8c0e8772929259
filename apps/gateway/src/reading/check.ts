// The reading check: the transcript against the expected text, word by word.
import type { WordCheck } from '@bascule/contracts';
import { alignWords } from './align.ts';
import { words } from './normalise.ts';

export interface ReadingResult {
  words: WordCheck[];
  /** Share of the expected words read correctly, 0..1. */
  score: number;
  /** (substitutions + deletions + insertions) / number of expected words; may exceed 1. */
  wer: number;
}

/** Throws a RangeError when the expected text has no word to read. */
export function checkReading(expected: string, transcript: string): ReadingResult {
  const reference = words(expected);
  if (reference.length === 0) throw new RangeError('expected: no word to read in the expected text');
  const alignment = alignWords(reference, words(transcript));
  const errors = alignment.substitutions + alignment.deletions + alignment.insertions;
  return {
    words: alignment.words,
    score: round(alignment.correct / reference.length),
    wer: round(errors / reference.length),
  };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
