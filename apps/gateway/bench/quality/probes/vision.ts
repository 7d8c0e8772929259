// vision: each rendered letter or word (corpus/fr/vision/*.png) read by the provider with the item as the
// target; right when the letters read, lower-cased and without spaces, are the letters written.
import { visionImage, type VisionItem } from '../corpus.ts';
import { expectKind, shorten, type Judged, type Probe } from './types.ts';

export function judgeHandwriting(written: string, read: string): Judged {
  const got = normaliseLetters(read);
  const correct = got === normaliseLetters(written);
  return { expected: written, answer: shorten(read), correct, ...(correct ? {} : { note: `read "${got}"` }) };
}

function normaliseLetters(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('fr').replace(/\s+/g, '');
}

export function visionProbe(corpusDir: string): Probe<VisionItem, Buffer> {
  return {
    kind: 'handwriting',
    prepare: async (item) => visionImage(corpusDir, item),
    async call(adapter, item, image, ctx) {
      const ocr = expectKind(adapter, 'handwriting');
      const { value, usage } = await ocr.analyze({ data: image, filename: `${item.id}.png`, mimetype: 'image/png', target: item.text }, ctx);
      return { usage, judged: judgeHandwriting(item.text, value.text) };
    },
    failed: (item, error) => ({ expected: item.text, answer: '(error)', correct: false, note: error.message }),
  };
}
