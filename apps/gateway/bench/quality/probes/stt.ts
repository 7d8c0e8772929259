// stt: each sentence spoken by espeak-ng, transcribed by the provider; word and character error rates after
// the reading check's French normalisation (src/reading/error-rate.ts).
import { characterErrorRate, wordErrorRate } from '../../../src/reading/error-rate.ts';
import { speak, type SpeakOptions } from '../speech.ts';
import { expectKind, shorten, type Judged, type Probe } from './types.ts';

type Item = { id: string; text: string };

export function judgeTranscript(reference: string, hypothesis: string): Judged {
  const words = wordErrorRate(reference, hypothesis);
  const chars = characterErrorRate(reference, hypothesis);
  return {
    expected: reference,
    answer: shorten(hypothesis),
    correct: words.edits === 0,
    words: { edits: words.edits, length: words.length },
    chars: { edits: chars.edits, length: chars.length },
    ...(words.edits === 0 ? {} : { note: `${words.edits} word edit(s)` }),
  };
}

export function sttProbe(speakOptions: SpeakOptions = {}): Probe<Item, Buffer> {
  return {
    kind: 'transcribe',
    prepare: (item) => speak(item.text, speakOptions),
    async call(adapter, item, audio, ctx) {
      const stt = expectKind(adapter, 'transcribe');
      const { value, usage } = await stt.transcribe({ data: audio, filename: `${item.id}.wav`, mimetype: 'audio/wav', language: 'fr' }, ctx);
      return { usage, judged: judgeTranscript(item.text, value.text) };
    },
    // No transcript: every reference word is a deletion.
    failed: (item, error) => ({ ...judgeTranscript(item.text, ''), answer: '(error)', note: error.message }),
  };
}
