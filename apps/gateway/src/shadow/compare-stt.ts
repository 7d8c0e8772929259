// stt: the production transcript against the MVP's, after the reading check's French normalisation
// (reading/normalise.ts): word and character error rates (capped at 1, so a score stays 0..1), and the
// agreement the transcription criterion counts, 1 − min(1, WER). For a reading check, whether each
// transcript matches the expected text (every word read, nothing added: WER 0 against it), and whether the
// two verdicts agree.
import { characterErrorRate, wordErrorRate } from '../reading/index.ts';
import type { ShadowScore } from './scores.ts';

export function compareTranscripts(mvp: string, production: string, expected?: string): ShadowScore[] {
  const wer = Math.min(1, wordErrorRate(mvp, production).rate);
  const cer = Math.min(1, characterErrorRate(mvp, production).rate);
  const scores: ShadowScore[] = [
    { measure: 'agreement', value: 1 - wer },
    { measure: 'wer', value: wer },
    { measure: 'cer', value: cer },
  ];
  if (expected === undefined) return scores;
  const mvpMatches = matchesExpected(expected, mvp);
  const productionMatches = matchesExpected(expected, production);
  scores.push(
    { measure: 'matches-expected', value: productionMatches ? 1 : 0 },
    { measure: 'matches-expected', value: mvpMatches ? 1 : 0, of: 'mvp' },
    { measure: 'verdict-agreement', value: mvpMatches === productionMatches ? 1 : 0 },
  );
  return scores;
}

/** The transcript reads the expected text exactly (after normalisation). */
export function matchesExpected(expected: string, transcript: string): boolean {
  return wordErrorRate(expected, transcript).rate === 0;
}
