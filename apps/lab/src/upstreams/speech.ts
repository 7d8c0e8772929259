// What a recogniser "hears" in an upload: the marker written by the traffic generator (marker.ts), or else
// a word of the beginner's list chosen by the bytes' hash. Segments are spread over the audio's duration.
import { FRENCH_WORDS } from '../french.ts';
import { SAY_MARKER, readMarker } from '../marker.ts';
import { createRng, hash32, pick } from '../rng.ts';
import { NO_DEGRADATION, degradeTranscript, type Degradation } from '../degrade.ts';
import { parseWav } from '../wav.ts';

export interface Heard {
  text: string;
  durationS: number;
  segments: { start: number; end: number; text: string; avg_logprob: number; no_speech_prob: number }[];
  confidence: number;
}

/** What a recogniser hears; a degrade fault replaces a share of the words with others. */
export function hear(audio: Uint8Array, seed: number, degradation: Degradation = NO_DEGRADATION): Heard {
  const rng = createRng(hash32(audio, seed));
  const wav = parseWav(audio);
  // Unknown containers (MP3, WebM): assume 16 kB/s, about what a voice codec writes.
  const durationS = Math.round((wav ? wav.durationS : audio.length / 16000) * 1000) / 1000;
  const marked = readMarker(audio, SAY_MARKER);
  const heard = marked ?? (audio.length > 0 ? pick(rng, FRENCH_WORDS) : '');
  const text = degradeTranscript(heard, degradation);
  if (!text) return { text: '', durationS, segments: [], confidence: 0 };
  const sentences = text.match(/[^.!?]+[.!?]*/g)?.map((s) => s.trim()).filter(Boolean) ?? [text];
  const totalChars = sentences.reduce((sum, s) => sum + s.length, 0);
  let cursor = 0;
  const segments = sentences.map((sentence, i) => {
    const start = cursor;
    cursor += (durationS * sentence.length) / totalChars;
    const avg_logprob = -Math.round((0.05 + rng() * 0.2) * 1000) / 1000;
    return { start: round(start), end: round(cursor), text: i === 0 ? sentence : ` ${sentence}`, avg_logprob, no_speech_prob: Math.round(rng() * 30) / 1000 };
  });
  const meanLogprob = segments.reduce((sum, s) => sum + s.avg_logprob, 0) / segments.length;
  return { text, durationS, segments, confidence: Math.round(Math.exp(meanLogprob) * 1000) / 1000 };
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
