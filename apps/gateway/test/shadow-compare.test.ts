// The shadow comparators on hand-counted cases: each score is what a person counting would write down.
import { describe, expect, it } from 'vitest';
import type { ChatCompletionResponse } from '@bascule/contracts';
import { answerLanguage, compareChat, compareHandwriting, compareSpeech, compareTranscripts, expectedSeconds, parsesAsJson } from '../src/shadow/index.ts';

const scores = (list: { measure: string; value: number; of?: string }[]) => Object.fromEntries(list.map((s) => [`${s.of === 'mvp' ? 'mvp:' : ''}${s.measure}`, s.value]));

/** A RIFF/WAVE header with `seconds` of 16-bit silence at `sampleRate` (format 1: PCM, 3: float). */
function wav(seconds: number, sampleRate: number, audioFormat = 1, channels = 1): Buffer {
  const byteRate = sampleRate * channels * 2;
  const data = Buffer.alloc(Math.round(seconds * byteRate));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(audioFormat, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(byteRate, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const chat = (content: string | null): ChatCompletionResponse => ({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

describe('stt: transcripts compared after the French normalisation', () => {
  it('one word of three substituted: WER 1/3, agreement 2/3; chat → chien is 3 character edits of 12', () => {
    const s = scores(compareTranscripts('le chat dort', 'le chien dort'));
    expect(s.wer).toBeCloseTo(1 / 3, 10);
    expect(s.agreement).toBeCloseTo(2 / 3, 10);
    expect(s.cer).toBeCloseTo(3 / 12, 10);
  });

  it('case, punctuation and spacing do not count', () => {
    expect(scores(compareTranscripts('Le Chat, dort.', '  le chat   dort'))).toEqual({ agreement: 1, wer: 0, cer: 0 });
  });

  it('caps the rates at 1: three words added to one is agreement 0, not −2', () => {
    const s = scores(compareTranscripts('chat', 'un gros chat noir'));
    expect(s.wer).toBe(1);
    expect(s.agreement).toBe(0);
  });

  it('a reading check says whether each transcript matches the expected text, and whether their verdicts agree', () => {
    expect(scores(compareTranscripts('le chat', 'le chien', 'Le chat'))).toMatchObject({ 'matches-expected': 0, 'mvp:matches-expected': 1, 'verdict-agreement': 0 });
    expect(scores(compareTranscripts('le chien', 'le chien', 'le chat'))).toMatchObject({ 'matches-expected': 0, 'mvp:matches-expected': 0, 'verdict-agreement': 1 });
    expect(Object.keys(scores(compareTranscripts('a', 'a')))).toEqual(['agreement', 'wer', 'cer']);
  });
});

describe('vision: the recognised letter and the verdict', () => {
  it('a and A are the same reading (case folded) but not the same verdict for the target a (a/A do not match)', () => {
    const s = scores(compareHandwriting('a', { text: 'a', confidence: 0.9, boxes: [] }, { text: 'A', confidence: 0.9, boxes: [] }));
    expect(s).toEqual({ agreement: 1, 'verdict-agreement': 0 });
  });

  it('é is not e; an unsure reading is unreadable for both', () => {
    expect(scores(compareHandwriting('é', { text: 'é', confidence: 0.9, boxes: [] }, { text: 'e', confidence: 0.9, boxes: [] }))).toEqual({ agreement: 0, 'verdict-agreement': 0 });
    expect(scores(compareHandwriting('b', { text: 'd', confidence: 0.1, boxes: [] }, { text: 'p', confidence: 0.2, boxes: [] }))).toEqual({ agreement: 0, 'verdict-agreement': 1 });
  });
});

describe('tts: the production audio measured from its WAV header', () => {
  const input = { text: 'Le petit chat boit du lait.', voice: 'fr-female-clear', speed: 1 }; // 27 characters
  const directive = { kind: 'directive' as const, directive: { provider: 'web-speech' as const, text: input.text, lang: 'fr-FR', rate: 1 } };

  it('against the text when the MVP speaks in the browser: 27 characters at 12 a second is 2.25 s', () => {
    expect(expectedSeconds(input)).toBeCloseTo(2.25, 10);
    expect(expectedSeconds({ ...input, speed: 1.5 })).toBeCloseTo(1.5, 10);
    const s = scores(compareSpeech(input, directive as never, { kind: 'audio', wav: wav(1.125, 22_050), seconds: 1.125 }));
    expect(s['duration-ratio']).toBeCloseTo(0.5, 3);
    expect(s['format-agreement']).toBe(1);
  });

  it('against the MVP audio when there is one: same duration, but 24 kHz against 22.05 kHz disagree', () => {
    const s = scores(compareSpeech(input, { kind: 'audio', wav: wav(2, 22_050), seconds: 2 }, { kind: 'audio', wav: wav(2, 24_000), seconds: 2 }));
    expect(s['duration-ratio']).toBeCloseTo(1, 3);
    expect(s['format-agreement']).toBe(0);
  });

  it('float samples, or no WAV at all, do not agree', () => {
    expect(scores(compareSpeech(input, directive as never, { kind: 'audio', wav: wav(2, 22_050, 3), seconds: 2 }))['format-agreement']).toBe(0);
    expect(scores(compareSpeech(input, directive as never, { kind: 'audio', wav: Buffer.from('not a wav at all'), seconds: 0 }))).toEqual({ 'format-agreement': 0 });
  });
});

describe('llm: French, length, refusal and JSON', () => {
  it('a French answer of a similar length agrees', () => {
    const s = scores(compareChat({}, chat('Le chien est dans le jardin.'), chat('Le chat est sur le tapis.')));
    expect(s).toMatchObject({ french: 1, answered: 1, agreement: 1 });
    expect(s['length-ratio']).toBeCloseTo(25 / 28, 10);
  });

  it('an English answer, a refusal, an empty or a much shorter answer does not', () => {
    expect(scores(compareChat({}, chat('Le chat est sur le tapis.'), chat('The cat is on the mat.')))).toMatchObject({ french: 0, agreement: 0 });
    expect(scores(compareChat({}, chat('Le chat est sur le tapis.'), chat('Je ne peux pas répondre à cette demande.')))).toMatchObject({ answered: 0, agreement: 0 });
    expect(scores(compareChat({}, chat('Le chat est sur le tapis.'), chat(null)))).toMatchObject({ answered: 0, agreement: 0 });
    expect(scores(compareChat({}, chat('Écris trois mots qui commencent par la lettre b, puis lis-les à voix haute.'), chat('Le bébé.')))).toMatchObject({ agreement: 0 });
  });

  it('checks the JSON only when a structured answer was asked', () => {
    const asked = { response_format: { type: 'json_object' as const } };
    const mvp = chat('{"mot": "chat", "syllabes": 1}');
    expect(scores(compareChat(asked, mvp, chat('{"mot": "lune", "syllabes": 1}')))).toMatchObject({ 'json-valid': 1, agreement: 1 });
    expect(scores(compareChat(asked, mvp, chat('{"mot": "lune", "syllabes": ')))).toMatchObject({ 'json-valid': 0, agreement: 0 });
    expect(scores(compareChat({}, mvp, chat('{"mot": "lune", "syllabes": ')))['json-valid']).toBeUndefined();
    expect(parsesAsJson('```json\n{"a": 1}\n```')).toBe(true);
  });
});

describe('French stop-word heuristic', () => {
  it.each([
    ["L'enfant lit le mot à voix haute.", 'fr'],
    ['Très bien, tu as lu tous les mots !', 'fr'],
    ['The child reads the word aloud.', 'other'],
    ['Bravo !', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (text, language) => {
    expect(answerLanguage(text)).toBe(language);
  });
});
