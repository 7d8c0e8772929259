// The quality benchmark's corpus (corpus/fr/corpus.json): French words and short sentences for children,
// per component. Validated on load, so a broken manifest names its field instead of failing mid-run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The shipped corpus: its folder, next to this file. */
export const CORPUS_DIR = fileURLToPath(new URL('./corpus/fr/', import.meta.url));

const Item = z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/, 'expected a lower-case id'), text: z.string().trim().min(1, 'expected the text') });

const CorpusSchema = z.strictObject({
  name: z.string().min(1),
  language: z.literal('fr'),
  licence: z.string().min(1),
  /** Read aloud by espeak-ng at run time (speech.ts); `text` is the reference transcript. */
  stt: z.array(Item).min(1),
  /** Rendered by render_vision.py into vision/<id>.png; `text` is what is written (the target, ≤ 4 letters). */
  vision: z.array(Item.extend({ text: z.string().min(1).max(4, 'expected at most 4 letters (the public API\'s target)'), font: z.string().min(1) })).min(1),
  /** Spoken by the tts providers; the answer's format and duration are checked. */
  tts: z.array(Item).min(1),
  /** Prompts with the properties an answer must have. */
  llm: z.array(
    z.strictObject({
      id: z.string().min(1),
      prompt: z.string().min(1),
      expect: z.strictObject({ french: z.boolean(), json: z.boolean().optional(), minWords: z.number().int().min(0), maxWords: z.number().int().min(1) }),
    }),
  ).min(1),
});

export type Corpus = z.infer<typeof CorpusSchema>;
export type LlmItem = Corpus['llm'][number];
export type VisionItem = Corpus['vision'][number];

export function loadCorpus(dir: string = CORPUS_DIR): Corpus {
  const path = `${dir.replace(/\/+$/, '')}/corpus.json`;
  const parsed = CorpusSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The PNG of a vision item. */
export function visionImage(dir: string, item: VisionItem): Buffer {
  return readFileSync(`${dir.replace(/\/+$/, '')}/vision/${item.id}.png`);
}
