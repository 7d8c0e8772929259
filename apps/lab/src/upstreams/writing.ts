// What an OCR "reads" in a picture: the marker written by the traffic generator (marker.ts), or else the
// target letter most of the time (a look-alike otherwise), chosen by the bytes' hash.
import { FRENCH_LETTERS, LOOK_ALIKES } from '../french.ts';
import { readWrittenMarker } from '../marker.ts';
import { pngSize } from '../png.ts';
import { createRng, hash32, pick, type Rng } from '../rng.ts';
import { NO_DEGRADATION, degradeLetters, type Degradation } from '../degrade.ts';

export interface Seen {
  text: string;
  /** One box per character: [x, y, width, height]. */
  boxes: [number, number, number, number][];
  confidences: number[];
  rng: Rng;
}

/**
 * Reads the picture; `misreadRate` is the share of characters swapped for a look-alike (a weaker OCR),
 * `degradation` (a degrade fault) the share then replaced by any other letter.
 */
export function see(image: Uint8Array, seed: number, options: { target?: string; misreadRate: number; degradation?: Degradation }): Seen {
  const rng = createRng(hash32(image, seed));
  const size = pngSize(image) ?? { width: 64, height: 64 };
  const marked = readWrittenMarker(image);
  const truth = marked ?? (options.target ?? pick(rng, FRENCH_LETTERS));
  const chars = [...truth.replace(/\s+/g, '')];
  const read = chars.map((c) => (rng() < options.misreadRate ? (LOOK_ALIKES[c] ?? c) : c)).join('');
  const text = degradeLetters(read, options.degradation ?? NO_DEGRADATION);
  const width = chars.length > 0 ? size.width / chars.length : 0;
  const boxes = [...text].map((_, i) => [r(i * width + width * 0.1), r(size.height * 0.15), r(width * 0.8), r(size.height * 0.7)] as [number, number, number, number]);
  const confidences = [...text].map((c, i) => (c === chars[i] ? 0.82 + rng() * 0.16 : 0.45 + rng() * 0.3)).map((c) => Math.round(c * 1000) / 1000);
  return { text, boxes, confidences, rng };
}

function r(value: number): number {
  return Math.round(value);
}
