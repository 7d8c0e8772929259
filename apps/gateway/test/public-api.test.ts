// The public API end to end: the real gateway (createGateway) in front of the lab on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCompletionChunkSchema, ChatCompletionResponseSchema, HandwritingResponseSchema, ReadingCheckResponseSchema, TranscriptionVerboseResponseSchema, WebSpeechDirectiveSchema } from '@bascule/contracts';
import { handwrittenPng, parseWav, spokenWav } from '@bascule/lab';
import { handwritingVerdict } from '../src/public/verdict.ts';
import { auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack();
});
afterAll(async () => {
  await stack.close();
});

const json = (body: unknown, student = 'eleve-1') => ({ method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': student }, body: JSON.stringify(body) });

function form(parts: Record<string, string | { data: Buffer; type: string; name: string }>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, new Blob([new Uint8Array(v.data)], { type: v.type }), v.name);
  }
  return f;
}

const upload = (body: FormData, student = 'eleve-1') => ({ method: 'POST', headers: { ...auth(), 'x-student-id': student }, body });

function expectRouted(res: Response, component: string, provider: string, route: string): void {
  expect(res.headers.get('x-bascule-component')).toBe(component);
  expect(res.headers.get('x-bascule-provider')).toBe(provider);
  expect(res.headers.get('x-bascule-route')).toBe(route);
  const latency = Number(res.headers.get('x-bascule-latency-ms'));
  const overhead = Number(res.headers.get('x-bascule-overhead-ms'));
  expect(latency).toBeGreaterThanOrEqual(0);
  expect(overhead).toBeGreaterThanOrEqual(0);
  expect(overhead).toBeLessThanOrEqual(latency);
}

describe('chat', () => {
  it('answers a plain completion in OpenAI shape from the MVP at weight 0', async () => {
    stack.setWeight('llm', 0);
    const res = await fetch(`${stack.url}/v1/chat/completions`, json({ model: 'bascule', messages: [{ role: 'user', content: 'Une phrase sur la lune.' }] }));
    expect(res.status).toBe(200);
    const body = ChatCompletionResponseSchema.parse(await res.json());
    expect(body.model).toBe('bascule');
    expect(body.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expectRouted(res, 'llm', 'huggingface', 'mvp');
  });

  it('streams server-sent events ending with [DONE], from production at weight 100', async () => {
    stack.setWeight('llm', 100);
    const res = await fetch(`${stack.url}/v1/chat/completions`, json({ messages: [{ role: 'user', content: 'Raconte.' }], stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expectRouted(res, 'llm', 'groq', 'production');
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => ChatCompletionChunkSchema.parse(JSON.parse(e)));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('').length).toBeGreaterThan(0);
  });

  it('accepts OpenAI\'s user field as the student id', async () => {
    const res = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ user: 'eleve-7', messages: [{ role: 'user', content: 'Bonjour' }] }) });
    expect(res.status).toBe(200);
  });
});

describe('speech', () => {
  it('answers the Web Speech directive for the MVP route', async () => {
    stack.setWeight('tts', 0);
    const res = await fetch(`${stack.url}/v1/audio/speech`, json({ input: 'maison', voice: 'default' }));
    expect(res.status).toBe(200);
    const directive = WebSpeechDirectiveSchema.parse(await res.json());
    expect(directive).toMatchObject({ provider: 'web-speech', text: 'maison', lang: 'fr-FR', rate: 1 });
    expectRouted(res, 'tts', 'web-speech', 'mvp');
  });

  it('answers a WAV from coqui for the production route', async () => {
    stack.setWeight('tts', 100);
    const res = await fetch(`${stack.url}/v1/audio/speech`, json({ input: 'Le chat dort.', voice: 'default', speed: 1.2 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = parseWav(Buffer.from(await res.arrayBuffer()));
    expect(wav?.durationS).toBeGreaterThan(0);
    expectRouted(res, 'tts', 'coqui', 'production');
  });
});

describe('transcription and reading check', () => {
  it('transcribes (OpenAI multipart shape) through the MVP', async () => {
    stack.setWeight('stt', 0);
    const res = await fetch(`${stack.url}/v1/audio/transcriptions`, upload(form({ file: { data: spokenWav('le chat dort'), type: 'audio/wav', name: 'a.wav' }, model: 'whisper-1' })));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { text: string }).text.toLowerCase()).toContain('chat');
    expectRouted(res, 'stt', 'openai-whisper', 'mvp');
  });

  it.each(['verbose_json', 'text'] as const)('answers response_format %s as OpenAI does', async (format) => {
    stack.setWeight('stt', 100);
    const res = await fetch(`${stack.url}/v1/audio/transcriptions`, upload(form({ file: { data: spokenWav('un beau jardin'), type: 'audio/wav', name: 'a.wav' }, response_format: format })));
    expect(res.status).toBe(200);
    if (format === 'text') {
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect((await res.text()).toLowerCase()).toContain('jardin');
      return;
    }
    const body = TranscriptionVerboseResponseSchema.parse(await res.json());
    expect(body.duration).toBeCloseTo(1.05, 2); // the WAV's own duration: 3 words × 0.35 s
    expect(body.segments.length).toBeGreaterThan(0);
  });

  it('checks a reading word by word from faster-whisper', async () => {
    stack.setWeight('stt', 100);
    const audio = spokenWav('le chien dort');
    const res = await fetch(`${stack.url}/v1/reading/check`, upload(form({ audio: { data: audio, type: 'audio/wav', name: 'r.wav' }, expected: 'Le chat dort.' })));
    expect(res.status).toBe(200);
    const body = ReadingCheckResponseSchema.parse(await res.json());
    expect(body.words.map((w) => w.verdict)).toEqual(['correct', 'substituted', 'correct']);
    expect(body.wer).toBeCloseTo(1 / 3, 3);
    expect(body.provider).toBe('faster-whisper');
    expectRouted(res, 'stt', 'faster-whisper', 'production');
  });
});

describe('handwriting', () => {
  it.each([
    [0, 'easyocr', 'mvp'],
    [100, 'trocr', 'production'],
  ] as const)('at weight %i recognises the letter through %s', async (weight, provider, route) => {
    stack.setWeight('vision', weight);
    const res = await fetch(`${stack.url}/v1/vision/handwriting`, upload(form({ image: { data: handwrittenPng('a'), type: 'image/png', name: 'a.png' }, target: 'a' })));
    expect(res.status).toBe(200);
    const body = HandwritingResponseSchema.parse(await res.json());
    expect(body.provider).toBe(provider);
    expect(body.target).toBe('a');
    expect(['correct', 'incorrect', 'unreadable']).toContain(body.verdict);
    if (body.text === 'a' && body.confidence >= 0.3) expect(body.verdict).toBe('correct');
    expectRouted(res, 'vision', provider, route);
  });
});

describe('fallback end to end', () => {
  it('resends the buffered upload to the MVP when production is down: the reading is still checked', async () => {
    stack.setWeight('stt', 100);
    await stack.lab.setFault('faster-whisper', { mode: 'down' });
    try {
      const res = await fetch(`${stack.url}/v1/reading/check`, upload(form({ audio: { data: spokenWav('la lune brille'), type: 'audio/wav', name: 'r.wav' }, expected: 'La lune brille.' })));
      expect(res.status).toBe(200);
      const body = ReadingCheckResponseSchema.parse(await res.json());
      expect(body.words.map((w) => w.verdict)).toEqual(['correct', 'correct', 'correct']);
      expect(body.provider).toBe('openai-whisper');
      expectRouted(res, 'stt', 'openai-whisper', 'fallback');
    } finally {
      await stack.lab.resetFaults();
    }
  });

  it('answers 502 with the X-Bascule-* headers and the component when every provider failed', async () => {
    stack.setWeight('vision', 100);
    await stack.lab.setFault('trocr', { mode: 'error', rate: 1 });
    await stack.lab.setFault('easyocr', { mode: 'error', rate: 1 });
    try {
      const res = await fetch(`${stack.url}/v1/vision/handwriting`, upload(form({ image: { data: handwrittenPng('b'), type: 'image/png', name: 'b.png' }, target: 'b' })));
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string; component: string } }).error).toMatchObject({ code: 'upstream_failed', component: 'vision' });
      expectRouted(res, 'vision', 'easyocr', 'fallback');
    } finally {
      await stack.lab.resetFaults();
    }
  });
});

describe('handwriting verdict', () => {
  it.each([
    ['a', 'a', 0.9, 'correct'],
    ['o', 'O', 0.9, 'correct'], // the contract's case rule: o/O, c/C look alike on paper
    ['a', 'A', 0.9, 'incorrect'], // ...but a capital A is not an a
    ['é', 'e', 0.9, 'incorrect'], // accents count for a letter
    ['b', 'd', 0.95, 'incorrect'],
    ['a', 'a', 0.1, 'unreadable'],
    ['a', '', 0.9, 'unreadable'],
  ] as const)('target %s, recognised %s at %f → %s', (target, seen, confidence, verdict) => {
    expect(handwritingVerdict(target, seen, confidence)).toBe(verdict);
  });
});
