// Each adapter against the contract fixtures of libs/contracts (served at the wire by a scripted upstream)
// and against the lab: what it sends is what the contract accepts; what the contract calls valid it reads,
// with its usage for the cost model; what the contract calls invalid it refuses (a transient failure).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costModelFromConfig, PLAN_MONTHLY_REQUESTS, SERVICE_DEADLINE_HEADER, TrocrAnalyzeFieldsSchema, TtsSynthesizeRequestSchema, WhisperTranscribeFieldsSchema } from '@bascule/contracts';
import { classifyFailure, requestCost } from '@bascule/routing';
import { encodeToneWav, handwrittenPng, spokenWav, startLab, type Lab } from '@bascule/lab';
import {
  createCoquiAdapter,
  createEasyOcrAdapter,
  createFasterWhisperAdapter,
  createOpenAiChatAdapter,
  createOpenAiWhisperAdapter,
  createTrocrAdapter,
  createWebSpeechAdapter,
  UpstreamProtocolError,
  wavDurationSeconds,
  type ProviderSettings,
} from '../src/adapters/index.ts';
import { labConfig, LAB_PROVIDER_KEYS, multipartOf, startScriptedUpstream, type ScriptedUpstream } from './support/public-stack.ts';

const FIXTURES = fileURLToPath(new URL('../../../libs/contracts/fixtures/', import.meta.url));
const fixtures = (service: string, prefix: string) =>
  readdirSync(join(FIXTURES, service))
    .filter((f) => f.startsWith(prefix))
    .map((f) => ({ name: f, valid: f.includes('.valid.'), body: readFileSync(join(FIXTURES, service, f), 'utf8') }));

const ctx = { timeoutMs: 2_000 };
const settings = (id: ProviderSettings['id'], baseUrl: string, extra: Partial<ProviderSettings> = {}): ProviderSettings => ({ id, baseUrl, model: undefined, voice: undefined, apiKey: undefined, timeoutMs: 2_000, ...extra });
const wav2s = encodeToneWav({ durationS: 2, sampleRate: 16_000 });
const audio = { data: wav2s, filename: 'a.wav', mimetype: 'audio/wav', language: 'fr' };
const image = { data: handwrittenPng('a'), filename: 'a.png', mimetype: 'image/png', target: 'a' };

let scripted: ScriptedUpstream;
let lab: Lab;
beforeAll(async () => {
  scripted = await startScriptedUpstream();
  lab = await startLab({ latencyScale: 0 });
});
afterAll(async () => {
  await scripted.close();
  await lab.close();
});
beforeEach(() => {
  scripted.received.length = 0;
});

describe('WAV duration', () => {
  it('reads the duration from the header, past extra chunks', () => {
    expect(wavDurationSeconds(wav2s)).toBeCloseTo(2, 3);
    expect(wavDurationSeconds(spokenWav('un deux trois'))).toBeCloseTo(1.05, 2); // 3 words × 0.35 s, with a bsay chunk
    expect(wavDurationSeconds(Buffer.from('not a wav'))).toBeNull();
  });
});

describe('faster-whisper (whisper image contract)', () => {
  const adapter = () => createFasterWhisperAdapter(settings('faster-whisper', scripted.baseUrl));

  it.each(fixtures('whisper', 'transcribe.response.'))('$name', async ({ valid, body }) => {
    scripted.answer = { status: 200, contentType: 'application/json', body };
    const result = adapter().transcribe(audio, ctx);
    if (!valid) {
      await expect(result).rejects.toBeInstanceOf(UpstreamProtocolError);
      return;
    }
    const { value, usage } = await result;
    expect(value.text).toBe(JSON.parse(body).text.trim());
    expect(usage.audioSeconds).toBeCloseTo(2, 3); // billed by the audio's duration
  });

  it('sends only fields the contract accepts, never the expected text as a prompt', async () => {
    scripted.answer = { status: 200, contentType: 'application/json', body: fixtures('whisper', 'transcribe.response.valid.two')[0]!.body };
    await adapter().transcribe(audio, ctx);
    const { fields, files } = await multipartOf(scripted.received[0]!);
    expect(scripted.received[0]!.path).toBe('/transcribe');
    expect(WhisperTranscribeFieldsSchema.safeParse(fields).success).toBe(true);
    expect(fields.initial_prompt).toBeUndefined();
    expect(files.audio?.size).toBe(wav2s.length);
  });

  it('the contract\'s own field fixtures agree with the schema the adapter is checked by', () => {
    for (const f of fixtures('whisper', 'transcribe.fields.')) expect(WhisperTranscribeFieldsSchema.safeParse(JSON.parse(f.body)).success, f.name).toBe(f.valid);
  });

  it('a 400 from the image is a client error (never retried)', async () => {
    scripted.answer = { status: 400, contentType: 'application/json', body: readFileSync(join(FIXTURES, 'common/error.valid.bad-field.json'), 'utf8') };
    const error = await adapter().transcribe(audio, ctx).catch((e: unknown) => e);
    expect(classifyFailure(error).class).toBe('client');
  });
});

describe('coqui (tts image contract)', () => {
  it('sends a request the contract accepts and reads the WAV and its duration', async () => {
    scripted.answer = { status: 200, contentType: 'audio/wav', body: wav2s };
    const { value, usage } = await createCoquiAdapter(settings('coqui', scripted.baseUrl)).synthesize({ text: 'maison', voice: 'default', speed: 3 }, ctx);
    const sent = JSON.parse(scripted.received[0]!.body.toString());
    expect(TtsSynthesizeRequestSchema.safeParse(sent).success).toBe(true);
    expect(sent.speed).toBe(2); // clamped to the image's range
    expect(value.kind).toBe('audio');
    expect(usage.audioSeconds).toBeCloseTo(2, 3);
  });

  it('asks the image for the configured voice for default or an OpenAI name, and for a plan voice as given', async () => {
    scripted.answer = { status: 200, contentType: 'audio/wav', body: wav2s };
    const voiceSent = async (voice: string, configured?: string) => {
      scripted.received.length = 0;
      await createCoquiAdapter(settings('coqui', scripted.baseUrl, configured ? { voice: configured } : {})).synthesize({ text: 'maison', voice, speed: 1 }, ctx);
      return JSON.parse(scripted.received[0]!.body.toString()).voice;
    };
    expect(await voiceSent('default')).toBe('fr-female-clear');
    expect(await voiceSent('alloy')).toBe('fr-female-clear');
    expect(await voiceSent('nova', 'fr-male-gentle')).toBe('fr-male-gentle');
    expect(await voiceSent('fr-male-gentle')).toBe('fr-male-gentle');
  });

  it('clamps the speed into the image range 0.5..2 (the public API takes OpenAI 0.25..4)', async () => {
    scripted.answer = { status: 200, contentType: 'audio/wav', body: wav2s };
    const speedSent = async (speed: number) => {
      scripted.received.length = 0;
      await createCoquiAdapter(settings('coqui', scripted.baseUrl)).synthesize({ text: 'maison', voice: 'default', speed }, ctx);
      const sent = JSON.parse(scripted.received[0]!.body.toString());
      expect(TtsSynthesizeRequestSchema.safeParse(sent).success).toBe(true);
      return sent.speed;
    };
    expect([await speedSent(0.25), await speedSent(0.5), await speedSent(1.3), await speedSent(2), await speedSent(4)]).toEqual([0.5, 0.5, 1.3, 2, 2]);
  });

  it('the unknown-voice fixture is a client error naming the voice', async () => {
    scripted.answer = { status: 400, contentType: 'application/json', body: fixtures('tts', 'synthesize.voice_error.valid')[0]!.body };
    const error = await createCoquiAdapter(settings('coqui', scripted.baseUrl)).synthesize({ text: 'maison', voice: 'alloy', speed: 1 }, ctx).catch((e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'client', status: 400 });
  });

  it('a body that is not a WAV is refused', async () => {
    scripted.answer = { status: 200, contentType: 'audio/wav', body: 'oops' };
    await expect(createCoquiAdapter(settings('coqui', scripted.baseUrl)).synthesize({ text: 'a', voice: 'x', speed: 1 }, ctx)).rejects.toBeInstanceOf(UpstreamProtocolError);
  });
});

describe('the images\' deadline', () => {
  // The images drop work whose caller has given up: each self-hosted call says how long it may take.
  const deadline = () => scripted.received.at(-1)!.headers[SERVICE_DEADLINE_HEADER.toLowerCase()];
  const within = { timeoutMs: 1_234 };

  it('faster-whisper, coqui and trocr are told the attempt\'s time left; EasyOCR, a paid API, is not', async () => {
    scripted.answer = { status: 200, contentType: 'application/json', body: fixtures('whisper', 'transcribe.response.valid.two')[0]!.body };
    await createFasterWhisperAdapter(settings('faster-whisper', scripted.baseUrl)).transcribe(audio, within);
    expect(deadline()).toBe('1234');
    scripted.answer = { status: 200, contentType: 'audio/wav', body: wav2s };
    await createCoquiAdapter(settings('coqui', scripted.baseUrl, { timeoutMs: 900 })).synthesize({ text: 'maison', voice: 'default', speed: 1 }, within);
    expect(deadline()).toBe('900'); // the provider's own timeout is the tighter
    scripted.answer = { status: 200, contentType: 'application/json', body: fixtures('trocr', 'analyze_writing.response.valid')[0]!.body };
    await createTrocrAdapter(settings('trocr', scripted.baseUrl)).analyze(image, within);
    expect(deadline()).toBe('1234');
    scripted.answer = { status: 500, contentType: 'application/json', body: '{}' };
    await createEasyOcrAdapter(settings('easyocr', scripted.baseUrl)).analyze(image, within).catch(() => undefined);
    expect(deadline()).toBeUndefined();
  });
});

describe('trocr (trocr image contract)', () => {
  it.each(fixtures('trocr', 'analyze_writing.response.'))('$name', async ({ valid, body }) => {
    scripted.answer = { status: 200, contentType: 'application/json', body };
    const result = createTrocrAdapter(settings('trocr', scripted.baseUrl)).analyze(image, ctx);
    if (!valid) {
      await expect(result).rejects.toBeInstanceOf(UpstreamProtocolError);
      return;
    }
    const { value, usage } = await result;
    expect(value.text).toBe(JSON.parse(body).analysis.recognized);
    expect(usage.images).toBe(1);
    const { fields } = await multipartOf(scripted.received.at(-1)!);
    expect(TrocrAnalyzeFieldsSchema.safeParse(fields).success).toBe(true);
  });
});

describe('against the lab', () => {
  const cfg = () => labConfig(lab).config;
  const labSettings = (id: ProviderSettings['id']) => settings(id, lab.upstreams[id as keyof typeof lab.upstreams].baseUrl, { apiKey: LAB_PROVIDER_KEYS[id] });

  it.each(['huggingface', 'groq', 'vps-llm'] as const)('%s: chat with token usage, priced by the cost model', async (id) => {
    const { value, usage } = await createOpenAiChatAdapter(labSettings(id)).complete({ messages: [{ role: 'user', content: 'Bonjour' }] }, ctx);
    expect(value.choices[0]!.message.content).toBeTruthy();
    expect(usage.tokens).toBe(value.usage!.total_tokens);
    const cost = requestCost(costModelFromConfig(cfg()), id, usage);
    // The plan's prices: Hugging Face per request (the marginal one, past the free tier), Groq per token; the
    // self-hosted model costs its share of the VPS (the local config expects the plan's monthly volume).
    const expected = { huggingface: 0.0005, groq: usage.tokens! * 0.0000008, 'vps-llm': 80 / PLAN_MONTHLY_REQUESTS }[id];
    expect(cost).toBeCloseTo(expected, 12);
    expect(cost).toBeGreaterThan(0);
  });

  it('groq: a stream with usage in its last chunk', async () => {
    const stream = await createOpenAiChatAdapter(labSettings('groq')).stream({ messages: [{ role: 'user', content: 'Bonjour' }] }, ctx);
    let text = '';
    for await (const chunk of stream.chunks) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(stream.usage().tokens).toBeGreaterThan(0);
  });

  it('openai-whisper: a transcription billed per audio second', async () => {
    const { value, usage } = await createOpenAiWhisperAdapter(labSettings('openai-whisper')).transcribe({ ...audio, data: spokenWav('le loup') }, ctx);
    expect(value.text.toLowerCase()).toContain('loup');
    expect(usage.audioSeconds).toBeCloseTo(0.7, 2);
    expect(requestCost(costModelFromConfig(cfg()), 'openai-whisper', usage)).toBeCloseTo(0.7 * 0.00015, 8);
  });

  it('easyocr: readtext corners become [x, y, w, h] boxes, counted per image', async () => {
    const { value, usage } = await createEasyOcrAdapter(labSettings('easyocr')).analyze(image, ctx);
    expect(usage.images).toBe(1);
    for (const box of value.boxes) {
      expect(box.bbox).toHaveLength(4);
      expect(box.bbox.every((n) => n >= 0)).toBe(true);
    }
    expect(requestCost(costModelFromConfig(cfg()), 'easyocr', usage)).toBe(0); // run by the school: 0 € in the plan
  });

  it('web-speech: a directive, no network', async () => {
    const { value } = await createWebSpeechAdapter(settings('web-speech', '')).synthesize({ text: 'bonjour', voice: 'Amélie', speed: 0.9 }, ctx);
    expect(value).toEqual({ kind: 'directive', directive: { provider: 'web-speech', text: 'bonjour', lang: 'fr-FR', rate: 0.9, voice: 'Amélie' } });
  });

  it('a provider without its API key is refused by the lab as by the real one (401, not retried as bad input)', async () => {
    const error = await createOpenAiChatAdapter({ ...labSettings('groq'), apiKey: undefined }).complete({ messages: [{ role: 'user', content: 'x' }] }, ctx).catch((e: unknown) => e);
    expect(classifyFailure(error).status).toBe(401);
  });
});
