// Word alignment by edit distance (Levenshtein over words, unit costs), with the backtrace that says,
// for each step, whether the expected word was read (correct), read as another word (substituted),
// skipped (missing), or whether the child added a word (inserted).
import type { WordCheck } from '@bascule/contracts';
import type { Word } from './normalise.ts';

export interface Alignment {
  words: WordCheck[];
  substitutions: number;
  deletions: number;
  insertions: number;
  correct: number;
}

export function alignWords(expected: readonly Word[], heard: readonly Word[]): Alignment {
  const n = expected.length;
  const m = heard.length;
  // d[i][j]: edits to turn expected[0..i) into heard[0..j)
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = expected[i - 1]!.key === heard[j - 1]!.key ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j - 1]! + same, d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
    }
  }
  const steps: WordCheck[] = [];
  let i = n;
  let j = m;
  // Backtrace, preferring a match or substitution over a gap when several paths cost the same.
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const same = expected[i - 1]!.key === heard[j - 1]!.key;
      if (d[i]![j] === d[i - 1]![j - 1]! + (same ? 0 : 1)) {
        steps.push({ expected: expected[i - 1]!.text, heard: heard[j - 1]!.text, verdict: same ? 'correct' : 'substituted' });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && d[i]![j] === d[i - 1]![j]! + 1) {
      steps.push({ expected: expected[i - 1]!.text, heard: null, verdict: 'missing' });
      i--;
    } else {
      steps.push({ expected: null, heard: heard[j - 1]!.text, verdict: 'inserted' });
      j--;
    }
  }
  steps.reverse();
  const count = (v: WordCheck['verdict']) => steps.filter((s) => s.verdict === v).length;
  return { words: steps, substitutions: count('substituted'), deletions: count('missing'), insertions: count('inserted'), correct: count('correct') };
}
