// How the lab knows what a simulated child said or wrote: a marker inside the uploaded bytes.
//   audio: the ASCII `BASCULE-SAY:` followed by UTF-8 text, ended by a NUL byte, a newline or the end of the
//          file (the traffic generator writes it in a `bsay` RIFF chunk, which WAV readers skip);
//   image: a PNG tEXt chunk (any keyword) whose text is `BASCULE-WROTE:` followed by the letters, in UTF-8;
//          in other formats, the marker anywhere in the bytes, ended like the audio one.
// Without a marker the lab makes up a plausible answer from the bytes' hash (stable for the same upload).
import { encodeToneWav } from './wav.ts';
import { encodePng, pngText } from './png.ts';

export const SAY_MARKER = 'BASCULE-SAY:';
export const WROTE_MARKER = 'BASCULE-WROTE:';

/** The text after `marker` in `bytes`, or null when there is none. */
export function readMarker(bytes: Uint8Array, marker: string): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buf.indexOf(marker, 0, 'latin1');
  if (at < 0) return null;
  const start = at + marker.length;
  let end = start;
  while (end < buf.length && buf[end] !== 0 && buf[end] !== 0x0a) end += 1;
  return buf.toString('utf8', start, end).trim();
}

/**
 * A WAV of a child reading `said` aloud, that the lab transcribes as `said`: `secondsPerWord` a word (0.35 s,
 * short files for tests, by default; the simulated class reads at the plan's pace, READING_SECONDS_PER_WORD).
 */
export function spokenWav(said: string, secondsPerWord = 0.35): Buffer {
  const words = said.trim().split(/\s+/).filter(Boolean).length;
  const body = Buffer.from(`${SAY_MARKER}${said}\0`, 'utf8');
  return encodeToneWav({ durationS: Math.max(0.4, words * secondsPerWord), sampleRate: 16000, extraChunks: [{ id: 'bsay', body }] });
}

/**
 * How long a child takes to read a word aloud, as the plan counts the Whisper API's bill (400 000 words, 3 s
 * each): the simulated class's recordings last this long, so the demo's stt cost criterion compares a
 * realistic MVP bill with the VPS's share.
 */
export const READING_SECONDS_PER_WORD = 3;

/** A PNG of a child's handwriting that the lab reads as `wrote`. */
export function handwrittenPng(wrote: string): Buffer {
  // tEXt is Latin-1; encode as UTF-8 bytes viewed as Latin-1 so readMarker's UTF-8 decoding gets it back.
  return encodePng({ width: 64, height: 64, text: { Comment: Buffer.from(`${WROTE_MARKER}${wrote}`, 'utf8').toString('latin1') } });
}

/** What the picture says the child wrote, or null without a marker. */
export function readWrittenMarker(image: Uint8Array): string | null {
  for (const text of Object.values(pngText(image))) {
    if (text.startsWith(WROTE_MARKER)) return Buffer.from(text.slice(WROTE_MARKER.length), 'latin1').toString('utf8').trim();
  }
  return readMarker(image, WROTE_MARKER);
}
