// Word and character error rates between a reference text and a hypothesis, after the reading check's
// French normalisation (normalise.ts): the measures the shadow comparison and the quality benchmark report.
//   WER = (substitutions + deletions + insertions) / reference words   (word-level Levenshtein, unit costs)
//   CER = the same over the characters of the normalised words joined by single spaces
// Both can exceed 1 (a hypothesis longer than the reference). An empty reference gives 0 when the
// hypothesis is empty too, and 1 otherwise, so a score never divides by zero.
import { words } from './normalise.ts';

export interface ErrorRate {
  /** Edits (substitutions + deletions + insertions) to turn the reference into the hypothesis. */
  edits: number;
  /** Units (words or characters) of the reference. */
  length: number;
  /** edits / length; 0 or 1 for an empty reference (see above). */
  rate: number;
}

/** Word error rate of `hypothesis` against `reference`, on normalised French words. */
export function wordErrorRate(reference: string, hypothesis: string): ErrorRate {
  return errorRate(
    words(reference).map((w) => w.key),
    words(hypothesis).map((w) => w.key),
  );
}

/** Character error rate of `hypothesis` against `reference`, on the normalised words joined by spaces. */
export function characterErrorRate(reference: string, hypothesis: string): ErrorRate {
  return errorRate(Array.from(normalisedText(reference)), Array.from(normalisedText(hypothesis)));
}

/** The text's normalised words joined by single spaces: what both rates and agreement compare. */
export function normalisedText(text: string): string {
  return words(text)
    .map((w) => w.key)
    .join(' ');
}

function errorRate(reference: readonly string[], hypothesis: readonly string[]): ErrorRate {
  const edits = editDistance(reference, hypothesis);
  const length = reference.length;
  const rate = length === 0 ? (hypothesis.length === 0 ? 0 : 1) : edits / length;
  return { edits, length, rate };
}

/** Levenshtein distance over two sequences, in O(min) memory: two rows. */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
