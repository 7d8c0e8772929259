// The speech and vision upstreams: OpenAI transcriptions, the whisper / tts / trocr image contracts, EasyOCR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ServiceErrorSchema, ServiceHealthSchema, TranscriptionResponseSchema, TranscriptionVerboseResponseSchema,
  TrocrAnalyzeResponseSchema, TtsVoiceErrorSchema, WhisperTranscribeResponseSchema,
} from '@bascule/contracts';
import { COQUI_VOICES, encodePng, encodeToneWav, handwrittenPng, parseWav, spokenWav, startLab, WAV_SAMPLE_RATE, type Lab } from '../src/index.ts';
import { call, postForm, postJson } from './helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 3 });
});
afterAll(async () => {
  await lab.close();
});

const wav = (said: string) => ({ data: spokenWav(said), filename: 'lecture.wav', type: 'audio/wav' });
const AUTH = { authorization: 'Bearer sk-test' };

describe('openai-whisper: POST /v1/audio/transcriptions', () => {
  const url = () => `${lab.upstreams['openai-whisper'].baseUrl}/v1/audio/transcriptions`;

  it('transcribes what the audio marker says, as json, text and verbose_json', async () => {
    const json = await postForm(url(), { file: wav('le chat dort'), model: 'whisper-1', language: 'fr' }, AUTH);
    expect(json.status).toBe(200);
    expect(TranscriptionResponseSchema.parse(json.json()).text).toBe('le chat dort');
    const text = await postForm(url(), { file: wav('la lune'), model: 'whisper-1', response_format: 'text' }, AUTH);
    expect(String(text.headers['content-type'])).toContain('text/plain');
    expect(text.text.trim()).toBe('la lune');
    const verbose = await postForm(url(), { file: wav('Papa lit. Maman dessine.'), model: 'whisper-1', language: 'fr', response_format: 'verbose_json' }, AUTH);
    const body = TranscriptionVerboseResponseSchema.parse(verbose.json());
    expect(body.language).toBe('french');
    expect(body.segments.map((s) => s.text.trim())).toEqual(['Papa lit.', 'Maman dessine.']);
    expect(body.duration).toBeCloseTo(parseWav(spokenWav('Papa lit. Maman dessine.'))?.durationS ?? -1, 2);
    expect(body.segments.at(-1)?.end).toBeLessThanOrEqual(body.duration + 0.01);
  });

  it('hears a word of the beginner list, always the same, in audio without a marker', async () => {
    const plain = { data: encodeToneWav({ durationS: 0.5 }), filename: 'a.wav', type: 'audio/wav' };
    const first = TranscriptionResponseSchema.parse((await postForm(url(), { file: plain, model: 'whisper-1' }, AUTH)).json());
    const again = TranscriptionResponseSchema.parse((await postForm(url(), { file: plain, model: 'whisper-1' }, AUTH)).json());
    expect(first.text).toMatch(/^\p{L}+$/u);
    expect(again.text).toBe(first.text);
  });

  it.each([
    [{ model: 'whisper-1' }, 'file'],
    [{ file: 'wav' }, 'model'],
    [{ file: 'wav', model: 'whisper-1', response_format: 'srt' }, 'response_format'],
    [{ file: 'wav', model: 'whisper-1', language: 'french' }, 'language'],
    [{ file: 'txt', model: 'whisper-1' }, 'file'],
  ])('rejects %j with a 400 naming %s (OpenAI error shape)', async (parts, param) => {
    const form = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, k === 'file' ? { data: spokenWav('x'), filename: v === 'txt' ? 'notes.txt' : 'a.wav', type: 'audio/wav' } : v]));
    const answer = await postForm(url(), form, AUTH);
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: { type: 'invalid_request_error', param } });
  });

  it('answers 401 without a key', async () => {
    const answer = await postForm(url(), { file: wav('x'), model: 'whisper-1' });
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});

describe('faster-whisper: the whisper image contract', () => {
  const base = () => lab.upstreams['faster-whisper'].baseUrl;

  it('POST /transcribe answers the contract’s response', async () => {
    const answer = await postForm(`${base()}/transcribe`, { audio: wav('Le chat dort sur le canapé.'), language: 'fr', initial_prompt: 'Lecture à voix haute, CP.' });
    expect(answer.status).toBe(200);
    const body = WhisperTranscribeResponseSchema.parse(answer.json());
    expect(body.text).toBe('Le chat dort sur le canapé.');
    expect(body.language).toBe('fr');
    expect(body.confidence).toBeGreaterThan(0.7);
    const mean = body.segments.reduce((sum, s) => sum + s.avg_logprob, 0) / body.segments.length;
    expect(body.confidence).toBeCloseTo(Math.exp(mean), 2);
  });

  it.each([
    [{ language: 'fr' }, 'audio'],
    [{ audio: 'wav', language: 'french' }, 'language'],
    [{ audio: 'wav', prompt: 'le chat' }, 'prompt'],
  ])('rejects %j with a 400 naming %s', async (parts, field) => {
    const form = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, k === 'audio' ? wav('x') : v]));
    const answer = await postForm(`${base()}/transcribe`, form);
    expect(answer.status).toBe(400);
    expect(ServiceErrorSchema.parse(answer.json()).error.field).toBe(field);
  });

  it('rejects a JSON body with a 415', async () => {
    const answer = await postJson(`${base()}/transcribe`, { audio: 'x' });
    expect(answer.status).toBe(415);
    expect(ServiceErrorSchema.parse(answer.json()).error.code).toBe('unsupported_media_type');
  });

  it('serves /health (warm) and /metrics counting inferences', async () => {
    expect(ServiceHealthSchema.parse((await call(`${base()}/health`)).json())).toMatchObject({ status: 'ok', warm: true, model: 'large-v3' });
    const metrics = await call(`${base()}/metrics`);
    expect(String(metrics.headers['content-type'])).toContain('text/plain');
    expect(metrics.text).toMatch(/bascule_image_requests_total\{route="\/transcribe",status="200"\} [1-9]/);
    expect(metrics.text).toMatch(/bascule_image_requests_total\{route="\/transcribe",status="400"\} [1-9]/);
  });
});

describe('coqui: the tts image contract', () => {
  const url = () => `${lab.upstreams.coqui.baseUrl}/synthesize`;

  it('answers a valid PCM 16-bit mono 22 050 Hz WAV whose length follows the text', async () => {
    const short = await postJson(url(), { text: 'chat', voice: 'fr-female-clear', speed: 1 });
    expect(short.status).toBe(200);
    expect(short.headers['content-type']).toBe('audio/wav');
    expect(short.headers['x-sample-rate']).toBe(String(WAV_SAMPLE_RATE));
    expect(Number(short.headers['x-latency-ms'])).toBeGreaterThanOrEqual(0);
    const info = parseWav(short.bytes);
    expect(info).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16 });
    expect(short.bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(short.bytes.readUInt32LE(4)).toBe(short.bytes.length - 8);
    const long = parseWav((await postJson(url(), { text: 'Le petit chat regarde la lune dans le jardin.', voice: 'fr-male-gentle' })).bytes);
    expect(long?.durationS ?? 0).toBeGreaterThan((info?.durationS ?? Infinity) * 3);
    const fast = parseWav((await postJson(url(), { text: 'Le petit chat regarde la lune dans le jardin.', voice: 'fr-male-gentle', speed: 2 })).bytes);
    expect(fast?.durationS ?? 0).toBeCloseTo((long?.durationS ?? 0) / 2, 1);
  });

  it('lists its voices in the 400 for an unknown voice', async () => {
    const answer = await postJson(url(), { text: 'chat', voice: 'alloy' });
    expect(answer.status).toBe(400);
    expect(TtsVoiceErrorSchema.parse(answer.json()).error.voices).toEqual(Object.keys(COQUI_VOICES));
  });

  it.each([
    [{ text: '', voice: 'fr-female-clear' }, 'text'],
    [{ text: 'chat', voice: 'fr-female-clear', speed: 3 }, 'speed'],
    [{ text: 'chat', voice: 'fr-female-clear', input: 'chat' }, 'input'],
  ])('rejects %j with a 400 naming %s', async (body, field) => {
    const answer = await postJson(url(), body);
    expect(answer.status).toBe(400);
    expect(ServiceErrorSchema.parse(answer.json()).error.field).toBe(field);
  });
});

describe('trocr: the trocr image contract', () => {
  const url = () => `${lab.upstreams.trocr.baseUrl}/analyze_writing`;
  const png = (wrote: string) => ({ data: handwrittenPng(wrote), filename: 'lettre.png', type: 'image/png' });

  it('reads what the image marker says and compares it with the target', async () => {
    const right = TrocrAnalyzeResponseSchema.parse((await postForm(url(), { image: png('é'), target_letter: 'é' })).json());
    expect(right.analysis).toMatchObject({ target: 'é', recognized: 'é', match: true });
    expect(right.letters).toHaveLength(1);
    const [x, y, w, h] = right.letters[0]?.bbox ?? [];
    expect((x ?? 0) + (w ?? 0)).toBeLessThanOrEqual(64);
    expect((y ?? 0) + (h ?? 0)).toBeLessThanOrEqual(64);
    const wrong = TrocrAnalyzeResponseSchema.parse((await postForm(url(), { image: png('b'), target_letter: 'd' })).json());
    expect(wrong.analysis).toMatchObject({ target: 'd', recognized: 'b', match: false });
    expect(wrong.analysis.advice).toMatch(/\S/);
  });

  it.each([
    [{ target_letter: 'a' }, 'image'],
    [{ image: 'png' }, 'target_letter'],
    [{ image: 'png', target_letter: '' }, 'target_letter'],
    [{ image: 'png', target_letter: 'a', target: 'a' }, 'target'],
  ])('rejects %j with a 400 naming %s', async (parts, field) => {
    const form = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, k === 'image' ? png('a') : v]));
    const answer = await postForm(url(), form);
    expect(answer.status).toBe(400);
    expect(ServiceErrorSchema.parse(answer.json()).error.field).toBe(field);
  });
});

describe('easyocr: POST /readtext', () => {
  const url = () => `${lab.upstreams.easyocr.baseUrl}/readtext`;

  it('answers readtext’s [[bbox, text, confidence]] with four corner points', async () => {
    const answer = await postForm(url(), { image: { data: handwrittenPng('ma'), filename: 'mot.png', type: 'image/png' } });
    expect(answer.status).toBe(200);
    const result = answer.json<[[number, number][], string, number][]>();
    expect(result).toHaveLength(1);
    const [bbox, text, confidence] = result[0] ?? [[], '', -1];
    expect(bbox).toHaveLength(4);
    expect(bbox.every((point) => point.length === 2)).toBe(true);
    expect(bbox[0]?.[0]).toBeLessThan(bbox[1]?.[0] ?? 0); // top-left, then top-right
    expect(text).toHaveLength(2);
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(1);
  });

  it('misreads more handwriting than TrOCR over many letters', async () => {
    let easyRight = 0;
    let trocrRight = 0;
    for (let i = 0; i < 60; i += 1) {
      const image = { data: encodePng({ width: 40 + i, height: 40, text: { Comment: 'BASCULE-WROTE:a' } }), filename: 'a.png', type: 'image/png' };
      const easy = (await postForm(url(), { image })).json<[unknown, string, number][]>();
      if (easy[0]?.[1] === 'a') easyRight += 1;
      const trocr = TrocrAnalyzeResponseSchema.parse((await postForm(`${lab.upstreams.trocr.baseUrl}/analyze_writing`, { image, target_letter: 'a' })).json());
      if (trocr.analysis.match) trocrRight += 1;
    }
    expect(trocrRight).toBeGreaterThan(easyRight);
  });

  it('rejects a request without an image', async () => {
    const answer = await postForm(url(), { target_letter: 'a' });
    expect(answer.status).toBe(400);
    expect(ServiceErrorSchema.parse(answer.json()).error.field).toBe('image');
  });
});
