// tts: the production voice's audio, decoded from its WAV header, measured and dropped. Against the MVP's
// audio when the MVP sends some: the duration ratio and whether the formats agree (encoding, channels,
// sample rate, bits). The plan's MVP (web-speech) speaks in the browser and sends no audio: then the duration
// is compared with what the text takes to say (SECONDS_PER_CHARACTER at the asked speed), and the format
// must be a PCM WAV at a usual speech rate. The ratio is stored as min(r, 1/r): 1 when equal, 0.5 when one
// is twice the other.
import type { SpeechInput, SpeechResult } from '../adapters/index.ts';
import { wavDurationSeconds, wavFormat, type WavFormat } from '../adapters/wav.ts';
import { closeness } from './closeness.ts';
import type { ShadowScore } from './scores.ts';

/** French read aloud to a child: about 12 characters a second at speed 1 (≈ 130 words a minute). */
export const SECONDS_PER_CHARACTER = 1 / 12;
/** Sample rates a speech model writes (Coqui's French voices: 22 050 Hz). */
const SPEECH_RATES = new Set([16_000, 22_050, 24_000, 44_100, 48_000]);

export function compareSpeech(input: SpeechInput, mvp: SpeechResult, production: SpeechResult): ShadowScore[] {
  const format = production.kind === 'audio' ? wavFormat(production.wav) : null;
  const seconds = production.kind === 'audio' ? wavDurationSeconds(production.wav) : null;
  if (format === null || seconds === null) return [{ measure: 'format-agreement', value: 0 }];
  const mvpFormat = mvp.kind === 'audio' ? wavFormat(mvp.wav) : null;
  const mvpSeconds = mvp.kind === 'audio' ? wavDurationSeconds(mvp.wav) : null;
  const formatAgrees = mvpFormat ? sameFormat(mvpFormat, format) : format.audioFormat === 1 && SPEECH_RATES.has(format.sampleRate);
  const reference = mvpSeconds ?? expectedSeconds(input);
  return [
    { measure: 'format-agreement', value: formatAgrees ? 1 : 0 },
    { measure: 'duration-ratio', value: closeness(seconds, reference) },
  ];
}

export function expectedSeconds(input: Pick<SpeechInput, 'text' | 'speed'>): number {
  return (input.text.trim().length * SECONDS_PER_CHARACTER) / (input.speed > 0 ? input.speed : 1);
}

function sameFormat(a: WavFormat, b: WavFormat): boolean {
  return a.audioFormat === b.audioFormat && a.channels === b.channels && a.sampleRate === b.sampleRate && a.bitsPerSample === b.bitsPerSample;
}
