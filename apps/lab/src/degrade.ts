// The `degrade` fault: answers made wrong at a rate (`wer`) while latency and status stay healthy, so a
// quality regression can be seen only in what the answers say (the shadow comparison, the benchmark).
// Every choice is drawn from the upstream's seeded source (as injected errors are), not from the request's
// content: the simulated class sends the same word or letter many times, and the rate must hold over them.
import { DEFAULT_DEGRADE_WER } from '@bascule/contracts';
import type { Fault } from './fault.ts';
import { FRENCH_LETTERS, FRENCH_WORDS } from './french.ts';
import { pick, type Rng } from './rng.ts';

/** A degrade fault as a handler applies it: the share of wrong answers and the source that draws them. */
export interface Degradation {
  rate: number;
  rng: Rng;
}

export const NO_DEGRADATION: Degradation = { rate: 0, rng: () => 1 };

/** The share of wrong answers a fault asks for: 0 unless it is a `degrade`. */
export function degradeRate(fault: Fault): number {
  return fault.mode === 'degrade' ? (fault.wer ?? DEFAULT_DEGRADE_WER) : 0;
}

/** A different item of the list than `item` (the list has at least two). */
function other<T>(rng: Rng, items: readonly T[], item: T): T {
  const choices = items.filter((i) => i !== item);
  return pick(rng, choices);
}

/** stt: each word replaced by another word of the beginner's list with probability `rate` (substitutions only). */
export function degradeTranscript(text: string, { rate, rng }: Degradation): string {
  if (rate <= 0) return text;
  return text.replace(/[\p{L}\p{N}'’-]+/gu, (word) => (rng() < rate ? other(rng, FRENCH_WORDS, word.toLowerCase() as (typeof FRENCH_WORDS)[number]) : word));
}

/** vision: each letter read replaced by another letter with probability `rate`. */
export function degradeLetters(text: string, { rate, rng }: Degradation): string {
  if (rate <= 0) return text;
  return [...text].map((c) => (rng() < rate ? other(rng, FRENCH_LETTERS, c as (typeof FRENCH_LETTERS)[number]) : c)).join('');
}

export type SpeechDefect = 'none' | 'duration' | 'sample-rate';

/** tts: with probability `rate`, a file far too long (trailing silence, a stuck voice) or at a wrong sample rate. */
export function speechDefect({ rate, rng }: Degradation): SpeechDefect {
  if (rate <= 0 || rng() >= rate) return 'none';
  return rng() < 0.5 ? 'duration' : 'sample-rate';
}

/** How much longer a `duration` defect makes the file. */
export const DEGRADED_DURATION_FACTOR = 2.5;
/** The sample rate of a `sample-rate` defect (telephone quality, not the 22 050 Hz of the contract). */
export const DEGRADED_SAMPLE_RATE = 8000;

const ENGLISH_ANSWERS = [
  'Reading: In the garden\nThe cat looks at a red apple.\nThe little girl reads the blue book.\nQuestion: What does the cat do?',
  'Here is the reading exercise.\nTom rides his bike to school.\nQuestion: Where does Tom go?',
  'Sure! The rabbit eats a carrot under the table.\nQuestion: Who eats the carrot?',
] as const;

/** llm: with probability `rate`, an answer in English or an empty one instead of `content`. */
export function degradeChat(content: string, { rate, rng }: Degradation): string {
  if (rate <= 0 || rng() >= rate) return content;
  return rng() < 0.5 ? pick(rng, ENGLISH_ANSWERS) : '';
}
