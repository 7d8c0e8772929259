// The degrade fault: wrong answers at the asked rate, at the same speed and status, for each kind of upstream,
// and reproducible from the lab's seed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrocrAnalyzeResponseSchema, WhisperTranscribeResponseSchema } from '@bascule/contracts';
import { createRng, handwrittenPng, parseWav, spokenWav, startLab, WAV_SAMPLE_RATE, type Lab } from '../src/index.ts';
import { degradeChat, degradeLetters, degradeTranscript, DEGRADED_SAMPLE_RATE, speechDefect, NO_DEGRADATION } from '../src/degrade.ts';
import { FRENCH_WORDS } from '../src/french.ts';
import { call, postForm, postJson } from './helpers.ts';

/** Words that differ position by position (the fault only substitutes words), over the words. */
function substitutionRate(truth: string, heard: string): number {
  const a = truth.split(/\s+/);
  const b = heard.split(/\s+/);
  expect(b).toHaveLength(a.length);
  return a.filter((word, i) => word !== b[i]).length / a.length;
}

describe('degrade, one answer at a time', () => {
  const sentence = Array.from({ length: 2000 }, (_, i) => FRENCH_WORDS[i % FRENCH_WORDS.length]).join(' ');

  it('replaces about the asked share of words, each by another word, and none without a fault', () => {
    const heard = degradeTranscript(sentence, { rate: 0.3, rng: createRng(1) });
    const rate = substitutionRate(sentence, heard);
    expect(rate).toBeGreaterThan(0.26);
    expect(rate).toBeLessThan(0.34);
    expect(degradeTranscript(sentence, NO_DEGRADATION)).toBe(sentence);
    expect(degradeTranscript('chat', { rate: 1, rng: createRng(2) })).not.toBe('chat');
  });

  it('is the same from the same seed', () => {
    expect(degradeTranscript(sentence, { rate: 0.3, rng: createRng(9) })).toBe(degradeTranscript(sentence, { rate: 0.3, rng: createRng(9) }));
  });

  it('replaces letters by other letters at the rate', () => {
    const letters = 'abcdefilmnoprstuv'.repeat(100);
    const read = degradeLetters(letters, { rate: 0.3, rng: createRng(3) });
    const wrong = [...letters].filter((c, i) => [...read][i] !== c).length / letters.length;
    expect(wrong).toBeGreaterThan(0.25);
    expect(wrong).toBeLessThan(0.35);
    expect(degradeLetters('b', { rate: 1, rng: createRng(4) })).not.toBe('b');
  });

  it('spoils about the asked share of syntheses and chat answers, half one way, half the other', () => {
    const rng = createRng(5);
    const defects = Array.from({ length: 1000 }, () => speechDefect({ rate: 0.3, rng }));
    const spoiled = defects.filter((d) => d !== 'none').length / defects.length;
    expect(spoiled).toBeGreaterThan(0.25);
    expect(spoiled).toBeLessThan(0.35);
    expect(defects).toContain('duration');
    expect(defects).toContain('sample-rate');
    const answers = Array.from({ length: 1000 }, () => degradeChat('Le chat lit.', { rate: 0.3, rng }));
    const english = answers.filter((a) => /\bthe\b/i.test(a)).length;
    const empty = answers.filter((a) => a === '').length;
    expect((english + empty) / answers.length).toBeGreaterThan(0.25);
    expect((english + empty) / answers.length).toBeLessThan(0.35);
    expect(english).toBeGreaterThan(0);
    expect(empty).toBeGreaterThan(0);
  });
});

describe('degrade through the upstreams', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ latencyScale: 0, seed: 11 });
  });
  afterAll(async () => {
    await lab.close();
  });
  beforeEach(async () => {
    await lab.resetFaults();
  });

  const sentences = Array.from({ length: 60 }, (_, i) => `${FRENCH_WORDS[i % 20]} regarde la lune et ${FRENCH_WORDS[(i * 7) % 20]} lit un livre`);

  async function transcribe(said: string) {
    const answer = await postForm(`${lab.upstreams['faster-whisper'].baseUrl}/transcribe`, { audio: { data: spokenWav(said), filename: 'a.wav', type: 'audio/wav' }, language: 'fr' });
    expect(answer.status).toBe(200);
    return WhisperTranscribeResponseSchema.parse(answer.json()).text;
  }

  it('faster-whisper: a 0.3 word error rate, answered 200, set and shown through the control API', async () => {
    const set = await call(`${lab.controlUrl}/lab/v1/upstreams/faster-whisper/fault`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'degrade', wer: 0.3 }) });
    expect(set.status).toBe(200);
    expect(set.json()).toMatchObject({ listening: true, fault: { mode: 'degrade', wer: 0.3 } });
    let wrong = 0;
    let words = 0;
    for (const said of sentences) {
      const heard = await transcribe(said);
      wrong += substitutionRate(said, heard) * said.split(' ').length;
      words += said.split(' ').length;
    }
    expect(wrong / words).toBeGreaterThan(0.22);
    expect(wrong / words).toBeLessThan(0.38);
    expect(lab.state().find((s) => s.name === 'faster-whisper')?.injectedErrors).toBe(0);
    await lab.setFault('faster-whisper', { mode: 'ok' });
    expect(await transcribe(sentences[0]!)).toBe(sentences[0]);
  });

  it('a degrade fault without wer uses the default share, and leaves the other upstreams faithful', async () => {
    await lab.setFault('faster-whisper', { mode: 'degrade' });
    const answer = await postForm(`${lab.upstreams['openai-whisper'].baseUrl}/v1/audio/transcriptions`, { file: { data: spokenWav(sentences[1]!), filename: 'a.wav', type: 'audio/wav' }, model: 'whisper-1' }, { authorization: 'Bearer k' });
    expect(answer.json()).toMatchObject({ text: sentences[1] });
    let changed = 0;
    for (const said of sentences.slice(0, 20)) if ((await transcribe(said)) !== said) changed += 1;
    expect(changed).toBeGreaterThan(0);
  });

  it('trocr: wrong letters at the rate, with a match verdict that follows', async () => {
    await lab.setFault('trocr', { mode: 'degrade', wer: 0.5 });
    let mismatches = 0;
    const total = 200;
    for (let i = 0; i < total; i += 1) {
      const answer = await postForm(`${lab.upstreams.trocr.baseUrl}/analyze_writing`, { image: { data: handwrittenPng('b'), filename: 'b.png', type: 'image/png' }, target_letter: 'b' });
      expect(answer.status).toBe(200);
      const body = TrocrAnalyzeResponseSchema.parse(answer.json());
      if (!body.analysis.match) mismatches += 1;
      expect(body.analysis.match).toBe(body.analysis.recognized === 'b');
    }
    // TrOCR's own 2 % look-alike misreads add to the fault's 50 %.
    expect(mismatches / total).toBeGreaterThan(0.4);
    expect(mismatches / total).toBeLessThan(0.62);
  });

  it('coqui: some files far too long or at a wrong sample rate (the header says which), all 200', async () => {
    await lab.setFault('coqui', { mode: 'degrade', wer: 0.4 });
    const durations: number[] = [];
    const rates = new Set<number>();
    for (let i = 0; i < 60; i += 1) {
      const answer = await postJson(`${lab.upstreams.coqui.baseUrl}/synthesize`, { text: 'Le chat regarde la lune.', voice: 'fr-female-clear', speed: 1 });
      expect(answer.status).toBe(200);
      const wav = parseWav(answer.bytes)!;
      expect(Number(answer.headers['x-sample-rate'])).toBe(wav.sampleRate);
      rates.add(wav.sampleRate);
      durations.push(wav.durationS);
    }
    expect(rates).toEqual(new Set([WAV_SAMPLE_RATE, DEGRADED_SAMPLE_RATE]));
    expect(Math.max(...durations) / Math.min(...durations)).toBeGreaterThan(2);
  });

  it('groq: answers in English or empty at rate 1, a French exercise again once healthy', async () => {
    await lab.setFault('groq', { mode: 'degrade', wer: 1 });
    const body = { model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Écris une lecture courte.' }] };
    const answers: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const answer = await postJson(`${lab.upstreams.groq.baseUrl}/openai/v1/chat/completions`, body, { authorization: 'Bearer k' });
      expect(answer.status).toBe(200);
      answers.push(answer.json<{ choices: { message: { content: string } }[] }>().choices[0]!.message.content);
    }
    expect(answers.every((a) => a === '' || /\bthe\b/i.test(a))).toBe(true);
    await lab.setFault('groq', { mode: 'ok' });
    const healthy = await postJson(`${lab.upstreams.groq.baseUrl}/openai/v1/chat/completions`, body, { authorization: 'Bearer k' });
    expect(healthy.json<{ choices: { message: { content: string } }[] }>().choices[0]!.message.content).toMatch(/^Lecture :/);
  });

  it('rejects a wer outside 0..1 or with another mode, naming the field', async () => {
    const put = (body: unknown) => call(`${lab.controlUrl}/lab/v1/upstreams/trocr/fault`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const tooMuch = await put({ mode: 'degrade', wer: 3 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json()).toMatchObject({ error: { code: 'invalid_request', field: 'wer' } });
    const misplaced = await put({ mode: 'error', wer: 0.3 });
    expect(misplaced.status).toBe(400);
    expect(misplaced.json()).toMatchObject({ error: { field: 'wer' } });
  });
});
