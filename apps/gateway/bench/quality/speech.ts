// The stt corpus's audio, made at run time with espeak-ng (Debian's package, which .ci/run installs): each
// sentence spoken in French, resampled to 16 kHz mono (what Whisper takes), with the lab's marker in a
// `bsay` RIFF chunk (`BASCULE-SAY:<text>`, apps/lab/src/marker.ts) so the lab's stand-ins "hear" the text.
// Real recognisers skip the chunk and hear espeak-ng's voice. Made, not committed: the 52 files at 16 kHz
// weigh 1.4 MB, and espeak-ng makes them in a few seconds (decision 0019).
import { execFile } from 'node:child_process';
import { resample } from './resample.ts';
import { encodePcm16Wav, readPcm16 } from './wav.ts';

export const CORPUS_SAMPLE_RATE = 16_000;
export const SAY_MARKER = 'BASCULE-SAY:';

export interface SpeakOptions {
  /** The espeak-ng binary (default: `espeak-ng` on the PATH). */
  espeak?: string;
  /** Per sentence (default 10 s). */
  timeoutMs?: number;
  /** Leave the lab's marker out (the lab then makes up an answer: a test's way to see a wrong transcript). */
  withoutMarker?: boolean;
}

/** `text` read aloud by espeak-ng's French voice: a 16 kHz mono WAV carrying the lab's marker. */
export async function speak(text: string, options: SpeakOptions = {}): Promise<Buffer> {
  const raw = await runEspeak(options.espeak ?? 'espeak-ng', text, options.timeoutMs ?? 10_000);
  const pcm = readPcm16(raw);
  if (pcm.channels !== 1) throw new Error(`espeak-ng: expected mono audio, got ${pcm.channels} channels`);
  const samples = resample(pcm.samples, pcm.sampleRate, CORPUS_SAMPLE_RATE);
  const marker = options.withoutMarker ? [] : [{ id: 'bsay', body: Buffer.from(`${SAY_MARKER}${text}\0`, 'utf8') }];
  return encodePcm16Wav(samples, CORPUS_SAMPLE_RATE, marker);
}

function runEspeak(binary: string, text: string, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // `--` so a sentence is never read as an option.
    execFile(binary, ['-v', 'fr', '--stdout', '--', text], { encoding: 'buffer', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new Error(missing ? `${binary} not found: install Debian's espeak-ng package (the stt corpus is spoken by it)` : `${binary} failed on "${text}": ${error.message}`));
      } else resolve(stdout);
    });
  });
}
