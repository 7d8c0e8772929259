// A probe sends one corpus item to one provider's adapter and judges the answer against the item. One probe
// per component (stt.ts, vision.ts, tts.ts, llm.ts); the runner times the calls and prices them.
import type { Usage } from '@bascule/routing';
import type { Adapter, CallContext } from '../../../src/adapters/index.ts';

/** What one answer scored. */
export interface Judged {
  /** What the item expects (the reference transcript, the written letters, the prompt's id…). */
  expected: string;
  /** What the provider answered, shortened for the report (a transcript, the letters read, a WAV's format…). */
  answer: string;
  /** Right as a whole: the transcript exact, the letters read, the audio sane, every property held. */
  correct: boolean;
  /** stt: word edits and reference words (WER = Σ edits / Σ words over the corpus). */
  words?: { edits: number; length: number };
  /** stt: character edits and reference characters (CER). */
  chars?: { edits: number; length: number };
  /** Why it is not correct, when it is not. */
  note?: string;
}

export interface Probe<Item extends { id: string }, Input> {
  /** The adapter kind this probe drives. */
  kind: Adapter['kind'];
  /** Prepares an item's input once, for every provider (stt: speaks the sentence). */
  prepare(item: Item): Promise<Input>;
  /** Sends the input through the adapter and judges the answer. */
  call(adapter: Adapter, item: Item, input: Input, ctx: CallContext): Promise<{ usage: Usage; judged: Judged }>;
  /** The verdict when the call failed (an error counts as a wrong answer, never as a skipped item). */
  failed(item: Item, error: Error): Judged;
}

/** Narrows an adapter to the kind a probe needs, with a message naming the provider otherwise. */
export function expectKind<K extends Adapter['kind']>(adapter: Adapter, kind: K): Extract<Adapter, { kind: K }> {
  if (adapter.kind !== kind) throw new Error(`${adapter.provider}: expected a ${kind} adapter, got ${adapter.kind}`);
  return adapter as Extract<Adapter, { kind: K }>;
}

export function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
