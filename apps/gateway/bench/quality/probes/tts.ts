// tts: each sentence synthesized; a listening test judges the voice, this checks what a machine can: the
// answer is a mono 16-bit WAV at 16–48 kHz whose duration fits the text (between 0.25 and 4 times the time a
// teacher takes to read it, ~14 characters a second), or, for the browser's voice, a French directive that
// carries the text unchanged.
import { wavFormat } from '../wav.ts';
import { expectKind, type Judged, type Probe } from './types.ts';

type Item = { id: string; text: string };

const CHARS_PER_SECOND = 14;

export function judgeSpeech(text: string, result: { kind: 'audio'; wav: Buffer } | { kind: 'directive'; directive: { text: string; lang?: string } }): Judged {
  if (result.kind === 'directive') {
    const ok = result.directive.text === text && (result.directive.lang ?? '').startsWith('fr');
    return { expected: text, answer: `directive ${result.directive.lang ?? '?'}`, correct: ok, ...(ok ? {} : { note: 'the directive changed the text or is not French' }) };
  }
  const format = wavFormat(result.wav);
  if (!format) return { expected: text, answer: 'not a PCM WAV', correct: false, note: 'not a PCM WAV file' };
  const expectedS = Math.max(0.3, text.length / CHARS_PER_SECOND);
  const problems = [
    format.channels !== 1 ? `${format.channels} channels` : '',
    format.bitsPerSample !== 16 ? `${format.bitsPerSample}-bit` : '',
    format.sampleRate < 16_000 || format.sampleRate > 48_000 ? `${format.sampleRate} Hz` : '',
    format.durationS < expectedS * 0.25 || format.durationS > expectedS * 4 ? `${format.durationS.toFixed(2)} s for ${text.length} characters` : '',
  ].filter(Boolean);
  return {
    expected: text,
    answer: `${format.sampleRate} Hz ${format.durationS.toFixed(2)} s`,
    correct: problems.length === 0,
    ...(problems.length ? { note: problems.join(', ') } : {}),
  };
}

export function ttsProbe(): Probe<Item, null> {
  return {
    kind: 'speech',
    prepare: async () => null,
    async call(adapter, item, _input, ctx) {
      const tts = expectKind(adapter, 'speech');
      const { value, usage } = await tts.synthesize({ text: item.text, voice: 'default', speed: 1 }, ctx);
      return { usage, judged: judgeSpeech(item.text, value) };
    },
    failed: (item, error) => ({ expected: item.text, answer: '(error)', correct: false, note: error.message }),
  };
}
