// The quality benchmark's parts without a provider: resampling, WAV checks, the judges of each component,
// the corpus-level WER, the command line, the corpus manifest's validation, and the XML check of the chart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../bench/quality/args.ts';
import { CORPUS_DIR, loadCorpus, visionImage } from '../bench/quality/corpus.ts';
import { speak } from '../bench/quality/speech.ts';
import { judgeAnswer } from '../bench/quality/probes/llm.ts';
import { looksFrench, parseJsonAnswer } from '../bench/quality/probes/french.ts';
import { judgeTranscript } from '../bench/quality/probes/stt.ts';
import { judgeSpeech } from '../bench/quality/probes/tts.ts';
import { judgeHandwriting } from '../bench/quality/probes/vision.ts';
import { qualityMeasures } from '../bench/quality/post.ts';
import type { BenchReport, ItemResult } from '../bench/quality/report-types.ts';
import { resample } from '../bench/quality/resample.ts';
import { percentile } from '../bench/quality/stats.ts';
import { summarise } from '../bench/quality/summarise.ts';
import { encodePcm16Wav, readPcm16, wavFormat } from '../bench/quality/wav.ts';
import { xmlProblems } from './support/xml-well-formed.ts';

function tone(frequency: number, rate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(10_000 * Math.sin((2 * Math.PI * frequency * i) / rate)));
}

/** Upward zero crossings a second: the tone's frequency. */
function frequencyOf(samples: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings += 1;
  return crossings / (samples.length / rate);
}

describe('resample', () => {
  it('keeps a 440 Hz tone at 440 Hz and the duration, from espeak-ng\'s 22 050 Hz to 16 kHz', () => {
    const out = resample(tone(440, 22_050, 1), 22_050, 16_000);
    expect(out.length).toBe(16_000);
    expect(frequencyOf(out, 16_000)).toBeCloseTo(440, -1);
  });

  it('removes what 16 kHz cannot carry: a 10 kHz tone (over the new Nyquist) comes out near silent', () => {
    const out = resample(tone(10_000, 22_050, 0.5), 22_050, 16_000);
    const peak = Math.max(...Array.from(out.slice(200, -200), Math.abs));
    expect(peak).toBeLessThan(1_000); // from an amplitude of 10 000
  });

  it('refuses a rate that is not positive, naming both', () => {
    expect(() => resample(new Int16Array(4), 0, 16_000)).toThrow('resample: expected positive rates, got 0 → 16000');
  });
});

describe('WAV', () => {
  it('writes a 16 kHz mono file with an extra chunk and reads the same samples back', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768]);
    const wav = encodePcm16Wav(samples, 16_000, [{ id: 'bsay', body: Buffer.from('BASCULE-SAY:chat\0') }]);
    expect(wavFormat(wav)).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationS: 5 / 16_000 });
    expect(Array.from(readPcm16(wav).samples)).toEqual(Array.from(samples));
    expect(wav.includes(Buffer.from('BASCULE-SAY:chat'))).toBe(true);
  });

  it('reads a streamed header (a placeholder data size) up to the end of the file, as espeak-ng writes it', () => {
    const wav = encodePcm16Wav(Int16Array.from([1, 2, 3]), 22_050);
    wav.writeUInt32LE(0x7ffff000, wav.indexOf('data') + 4);
    expect(Array.from(readPcm16(wav).samples)).toEqual([1, 2, 3]);
  });

  it('is not fooled by other bytes', () => {
    expect(wavFormat(Buffer.from('not a wav file at all'))).toBeNull();
    expect(() => readPcm16(Buffer.from('RIFF'))).toThrow('expected a 16-bit PCM WAV file');
  });
});

describe('judges', () => {
  it('stt: counts edits on the normalised words (hand-counted)', () => {
    // "le chat dort" → "le chien dort sur": 1 substitution + 1 insertion over 3 words.
    expect(judgeTranscript('Le chat dort.', 'le chien dort sur')).toMatchObject({ correct: false, words: { edits: 2, length: 3 } });
    // Case, punctuation and the apostrophe's form do not count (the normaliser keeps « l'école » one word).
    expect(judgeTranscript("Marie va à l'école.", 'marie va à l’école')).toMatchObject({ correct: true, words: { edits: 0, length: 4 } });
    // No transcript: every word deleted.
    expect(judgeTranscript('Papa lit un livre.', '')).toMatchObject({ words: { edits: 4, length: 4 }, chars: { edits: 17, length: 17 } });
  });

  it('vision: right when the letters read are the letters written, whatever the case and spaces', () => {
    expect(judgeHandwriting('vélo', 'V é l o').correct).toBe(true);
    expect(judgeHandwriting('b', 'd')).toMatchObject({ correct: false, note: 'read "d"' });
    expect(judgeHandwriting('a', '').correct).toBe(false);
  });

  it('tts: a mono 16-bit WAV of a plausible duration passes; a wrong rate, stereo or a blip does not', () => {
    const wav = (rate: number, seconds: number) => encodePcm16Wav(new Int16Array(Math.round(rate * seconds)), rate);
    expect(judgeSpeech('Le chat dort sur le lit.', { kind: 'audio', wav: wav(22_050, 1.8) }).correct).toBe(true);
    expect(judgeSpeech('Le chat dort sur le lit.', { kind: 'audio', wav: wav(8_000, 1.8) }).note).toBe('8000 Hz');
    expect(judgeSpeech('Le chat dort sur le lit.', { kind: 'audio', wav: wav(22_050, 0.1) }).note).toBe('0.10 s for 24 characters');
    const stereo = wav(22_050, 1.8);
    stereo.writeUInt16LE(2, 22);
    expect(judgeSpeech('Le chat dort sur le lit.', { kind: 'audio', wav: stereo }).note).toContain('2 channels');
    expect(judgeSpeech('chat', { kind: 'directive', directive: { text: 'chat', lang: 'fr-FR' } }).correct).toBe(true);
    expect(judgeSpeech('chat', { kind: 'directive', directive: { text: 'chat', lang: 'en-US' } }).correct).toBe(false);
  });

  it('llm: French, length and JSON', () => {
    expect(looksFrench('Le petit chat dort sur le lit de Léa.')).toBe(true);
    expect(looksFrench('The little cat is sleeping on the bed.')).toBe(false);
    expect(looksFrench('')).toBe(false);
    expect(parseJsonAnswer('```json\n{"mot": "vélo"}\n```')).toEqual({ mot: 'vélo' });
    expect(parseJsonAnswer('Voici : {"mot"')).toBeNull();
    const item = { id: 'x', prompt: 'p', expect: { french: true, json: true, minWords: 2, maxWords: 10 } };
    expect(judgeAnswer(item, '{"question": "Où est le vélo ?", "reponse": "Dans le jardin"}').correct).toBe(true);
    expect(judgeAnswer(item, 'Le vélo est dans le jardin.').note).toBe('no JSON object');
    expect(judgeAnswer(item, '').note).toBe('empty answer, no JSON object');
    expect(judgeAnswer({ ...item, expect: { french: true, minWords: 1, maxWords: 3 } }, 'Le vélo est dans le jardin.').note).toBe('6 words (expected 1–3)');
  });
});

describe('summaries', () => {
  const result = (provider: ItemResult['provider'], words: { edits: number; length: number }, ok = true): ItemResult => ({
    id: 'i', provider, ok, latencyMs: ok ? 100 : 5, costEur: ok ? 0.001 : 0, expected: '', answer: '', correct: words.edits === 0, words, chars: { edits: words.edits, length: words.length * 4 },
  });

  it('stt: WER over the corpus is Σ edits / Σ words, so a long sentence weighs more than a word', () => {
    // 1 edit in a 1-word item and 0 in a 9-word one: 1/10 = 0.1 (the mean of the items' rates would be 0.5).
    const s = summarise('stt', 'faster-whisper', 'production', [result('faster-whisper', { edits: 1, length: 1 }), result('faster-whisper', { edits: 0, length: 9 })]);
    expect(s).toMatchObject({ items: 2, correct: 1, accuracy: 0.5, wer: 0.1, cer: 1 / 40, score: 0.9 });
  });

  it('a failed call counts in the accuracy, not in the latency', () => {
    const s = summarise('stt', 'openai-whisper', 'mvp', [result('openai-whisper', { edits: 0, length: 2 }), result('openai-whisper', { edits: 2, length: 2 }, false)]);
    expect(s).toMatchObject({ errors: 1, wer: 0.5, latencyMs: { p50: 100, p95: 100, mean: 100 }, costPerRequestEur: 0.0005 });
  });

  it('posts 1 − WER clamped to 0..1 with the item count as samples', () => {
    const report = { benchmark: 'corpus-fr-v1', component: 'stt', startedAt: '2026-01-05T09:00:00.000Z', providers: [{ provider: 'faster-whisper', items: 3, score: -0.5 }, { provider: 'openai-whisper', items: 0, score: 1 }] } as unknown as BenchReport;
    expect(qualityMeasures(report)).toEqual([{ benchmark: 'corpus-fr-v1', provider: 'faster-whisper', score: 0, samples: 3, at: '2026-01-05T09:00:00.000Z' }]);
  });

  it('percentiles by nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile([], 95)]).toEqual([10, 19, 0]);
  });
});

describe('command line and corpus', () => {
  it('parses the options and names the flag of every mistake', () => {
    expect(parseBenchArgs(['--component', 'stt', '--limit', '5', '--json'], { BASCULE_LAB_PORT: '4999' })).toMatchObject({ component: 'stt', limit: 5, json: true, lab: 'http://127.0.0.1:4999', gateway: 'http://127.0.0.1:4000' });
    expect(() => parseBenchArgs([], {})).toThrow(new UsageError('--component: expected one of llm, stt, tts, vision, got nothing'));
    expect(() => parseBenchArgs(['--component', 'stt', '--providers', 'trocr'], {})).toThrow('--providers: expected providers of stt (openai-whisper, faster-whisper), got "trocr"');
    expect(() => parseBenchArgs(['--component', 'stt', '--limit', '0'], {})).toThrow('--limit: expected a whole number ≥ 1, got "0"');
    expect(() => parseBenchArgs(['--component', 'stt', '--nope'], {})).toThrow(UsageError);
    expect(() => parseBenchArgs(['--component', 'tts', '--post'], {})).toThrow(/--post: tts's quality criterion is a listening test/);
  });

  it('the shipped corpus loads, and a broken manifest names its field', () => {
    const corpus = loadCorpus();
    expect(corpus.name).toBe('corpus-fr-v1');
    // At least the 50 samples the stt, vision and llm criteria ask for, in one run.
    expect(corpus.stt.length).toBeGreaterThanOrEqual(50);
    expect(corpus.vision.length).toBeGreaterThanOrEqual(50);
    expect(corpus.llm.length).toBeGreaterThanOrEqual(50);
    const dir = mkdtempSync(join(tmpdir(), 'bascule-corpus-'));
    try {
      writeFileSync(join(dir, 'corpus.json'), JSON.stringify({ ...corpus, vision: [{ id: 'v1', text: 'maison', font: 'x' }] }));
      expect(() => loadCorpus(dir)).toThrow(/corpus\.json: vision\.0\.text: expected at most 4 letters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every vision item has its PNG, carrying the lab\'s marker with the item\'s text', () => {
    for (const item of loadCorpus().vision) {
      const png = visionImage(CORPUS_DIR, item);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(item.text.length === 1 ? [64, 64] : [128, 56]);
      // tEXt is Latin-1: the marker's UTF-8 bytes are stored as they are (render_vision.py, apps/lab marker.ts).
      expect(png.includes(Buffer.from(`Comment\0BASCULE-WROTE:${item.text}`, 'utf8'))).toBe(true);
    }
  });

  it('names the missing program when espeak-ng is not installed', async () => {
    await expect(speak('chat', { espeak: 'no-such-espeak-ng' })).rejects.toThrow("no-such-espeak-ng not found: install Debian's espeak-ng package");
  });

  it('the XML check finds what a browser would refuse', () => {
    expect(xmlProblems('<svg><g><text>a &amp; b</text></g></svg>')).toEqual([]);
    expect(xmlProblems('<svg><g></svg>')).toEqual(['</svg> closes <g>']);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).toEqual(['bare & at 13']);
    expect(xmlProblems('<svg x=1/>')[0]).toMatch(/malformed tag/);
    expect(xmlProblems('<svg/><svg/>')).toEqual(['expected one root element, found 2']);
  });
});
