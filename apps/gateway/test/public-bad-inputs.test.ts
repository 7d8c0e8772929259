// A table of bad public inputs: each gets the right 4xx in the shared error shape, naming the field, and
// the gateway stays healthy (it still answers /healthz and a good request afterwards).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorBodySchema } from '@bascule/contracts';
import { handwrittenPng, spokenWav } from '@bascule/lab';
import { auth, CLIENT_KEY, SECOND_CLIENT_KEY, startPublicStack, type PublicStack } from './support/public-stack.ts';

const AUDIO_LIMIT = 200_000;
let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack((loaded) => {
    loaded.config.server.bodyLimits.audioBytes = AUDIO_LIMIT;
  });
  stack.setWeight('tts', 100); // an unknown voice is refused before routing, even on the production route
});
afterAll(async () => {
  await stack.close();
});

type Part = string | { data: Buffer; type: string; name: string };
function form(parts: Record<string, Part>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, new Blob([new Uint8Array(v.data)], { type: v.type }), v.name);
  }
  return f;
}

const student = { 'x-student-id': 'eleve-42' };
const jsonHeaders = { ...auth(), 'content-type': 'application/json', ...student };
const goodChat = { messages: [{ role: 'user', content: 'Bonjour' }] };
const wav = { data: spokenWav('le chat'), type: 'audio/wav', name: 'a.wav' };
const png = { data: handwrittenPng('a'), type: 'image/png', name: 'a.png' };

interface Case {
  name: string;
  path: string;
  init: () => RequestInit;
  status: number;
  field?: RegExp;
  message?: RegExp;
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A multipart body written by hand, to cut it short or leave its boundary out. */
const rawMultipart = (body: string, contentType = 'multipart/form-data; boundary=XyZ') => ({ method: 'POST', headers: { ...auth(), ...student, 'content-type': contentType }, body });

const cases: Case[] = [
  { name: 'no client key', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { 'content-type': 'application/json', ...student }, body: JSON.stringify(goodChat) }), status: 401, field: /authorization/ },
  { name: 'bad client key', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { ...jsonHeaders, authorization: 'Bearer nope' }, body: JSON.stringify(goodChat) }), status: 401, field: /authorization/ },
  { name: 'missing student', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(goodChat) }), status: 400, field: /X-Student-Id/ },
  { name: 'invalid student id', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: { ...jsonHeaders, 'x-student-id': 'a b' }, body: JSON.stringify({ input: 'a', voice: 'default' }) }), status: 400, field: /X-Student-Id/ },
  { name: 'wrong media type for chat', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { ...jsonHeaders, 'content-type': 'text/plain' }, body: 'hello' }), status: 415, field: /content-type/ },
  { name: 'malformed JSON', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: '{"messages": [' }), status: 400, field: /body/ },
  { name: 'missing messages', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ model: 'x' }) }), status: 400, field: /^messages$/ },
  { name: 'bad role', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ messages: [{ role: 'wizard', content: 'x' }] }) }), status: 400, field: /messages\[0\]\.role/ },
  { name: 'temperature out of range', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ ...goodChat, temperature: 7 }) }), status: 400, field: /temperature/ },
  { name: 'JSON body too large', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] }) }), status: 413 },
  { name: 'an upload sent to chat', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ file: wav }) }), status: 415, field: /content-type/ },
  { name: 'an upload sent to speech', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ input: 'Bonjour' }) }), status: 415, field: /content-type/ },
  { name: 'JSON sent to transcriptions', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: jsonHeaders, body: '{}' }), status: 415, field: /content-type/ },
  { name: 'transcription without a file', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ model: 'whisper-1' }) }), status: 400, field: /^file$/ },
  { name: 'an image as audio', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ file: png }) }), status: 415, field: /^file$/ },
  { name: 'oversized audio', path: '/v1/reading/check', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ audio: { data: Buffer.alloc(AUDIO_LIMIT + 100_000 + 70_000, 1), type: 'audio/wav', name: 'big.wav' }, expected: 'le chat' }) }), status: 413 },
  { name: 'oversized audio without a declared length', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ file: { data: Buffer.alloc(AUDIO_LIMIT + 10, 1), type: 'audio/wav', name: 'big.wav' } }) }), status: 413 },
  { name: 'language not a code', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ file: wav, language: 'french' }) }), status: 400, field: /^language$/ },
  { name: 'reading check without expected text', path: '/v1/reading/check', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ audio: wav }) }), status: 400, field: /^expected$/ },
  { name: 'handwriting without target', path: '/v1/vision/handwriting', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ image: png }) }), status: 400, field: /^target$/ },
  { name: 'handwriting with audio', path: '/v1/vision/handwriting', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ image: wav, target: 'a' }) }), status: 415, field: /^image$/ },
  { name: 'empty speech input', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ input: '  ', voice: 'default' }) }), status: 400, field: /^input$/ },
  { name: 'speech in mp3', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ input: 'maison', voice: 'default', response_format: 'mp3' }) }), status: 400, field: /^response_format$/ },
  { name: 'unknown voice', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: jsonHeaders, body: JSON.stringify({ input: 'maison', voice: 'fr-female-1' }) }), status: 400, field: /^voice$/ },
  { name: 'deeply nested JSON', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: jsonHeaders, body: `{"messages":[{"role":"user","content":${deep(100_000)}}]}` }), status: 400, field: /^messages\[0\]\.content/, message: /nested too deeply to show|expected/ },
  { name: 'a +json media type the parser does not take', path: '/v1/chat/completions', init: () => ({ method: 'POST', headers: { ...jsonHeaders, 'content-type': 'application/vnd.foo+json' }, body: JSON.stringify(goodChat) }), status: 415, field: /content-type/, message: /expected application\/json, got application\/vnd\.foo\+json/ },
  { name: 'a UTF-16 JSON body', path: '/v1/audio/speech', init: () => ({ method: 'POST', headers: { ...jsonHeaders, 'content-type': 'application/json; charset=utf-16' }, body: new Uint8Array(Buffer.from(JSON.stringify({ input: 'maison', voice: 'default' }), 'utf16le')) }), status: 415, field: /content-type/, message: /UTF-8.*charset=utf-16/ },
  { name: 'multipart without a boundary', path: '/v1/audio/transcriptions', init: () => rawMultipart('--XyZ\r\n', 'multipart/form-data'), status: 400, field: /^body$/, message: /malformed multipart/ },
  { name: 'multipart cut short in a part', path: '/v1/audio/transcriptions', init: () => rawMultipart('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF....WAVE'), status: 400, field: /^body$/, message: /malformed multipart/ },
  { name: 'a PNG declared as audio/wav', path: '/v1/audio/transcriptions', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ file: { ...png, type: 'audio/wav', name: 'a.wav' } }) }), status: 415, field: /^file$/, message: /declared audio\/wav, but its bytes are a PNG image/ },
  { name: 'a WAV declared as image/png', path: '/v1/vision/handwriting', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ image: { ...wav, type: 'image/png', name: 'a.png' }, target: 'a' }) }), status: 415, field: /^image$/, message: /declared image\/png, but its bytes are a WAV audio/ },
  { name: 'a PNG as an untyped upload to reading check', path: '/v1/reading/check', init: () => ({ method: 'POST', headers: { ...auth(), ...student }, body: form({ audio: { ...png, type: 'application/octet-stream', name: 'a.bin' }, expected: 'le chat' }) }), status: 415, field: /^audio$/, message: /declared application\/octet-stream, but its bytes are a PNG image/ },
  { name: 'unknown route', path: '/v1/embeddings', init: () => ({ method: 'POST', headers: jsonHeaders, body: '{}' }), status: 404 },
];

describe('bad public inputs', () => {
  it.each(cases)('$name → $status', async (c) => {
    const res = await fetch(`${stack.url}${c.path}`, c.init());
    const body = ErrorBodySchema.parse(await res.json());
    expect({ status: res.status, code: body.error.code }).toEqual({ status: c.status, code: (Object.entries(ERROR_STATUS).find(([, s]) => s === c.status) ?? ['?'])[0] });
    expect(body.error.message.length).toBeGreaterThan(5);
    if (c.field) expect(body.error.field).toMatch(c.field);
    if (c.message) expect(body.error.message).toMatch(c.message);
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('a good request still succeeds afterwards', async () => {
    const res = await fetch(`${stack.url}/v1/audio/speech`, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${SECOND_CLIENT_KEY}` }, body: JSON.stringify({ input: 'maison', voice: 'default' }) });
    expect(res.status).toBe(200);
  });
});

describe('rate limit per client key', () => {
  let limited: PublicStack;
  beforeAll(async () => {
    limited = await startPublicStack((loaded) => {
      loaded.config.auth.rateLimitPerMinute = 2;
      delete loaded.config.components.vision; // a component this gateway does not serve
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 in the error shape past the limit, for that key only', async () => {
    const speak = (key: string) => fetch(`${limited.url}/v1/audio/speech`, { method: 'POST', headers: { ...jsonHeaders, authorization: `Bearer ${key}` }, body: JSON.stringify({ input: 'maison', voice: 'default' }) });
    expect((await speak(CLIENT_KEY)).status).toBe(200);
    expect((await speak(CLIENT_KEY)).status).toBe(200);
    const third = await speak(CLIENT_KEY);
    expect(third.status).toBe(429);
    expect(ErrorBodySchema.parse(await third.json()).error.code).toBe('rate_limited');
    expect((await speak(SECOND_CLIENT_KEY)).status).toBe(200);
    expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
  });

  it('answers 404 naming a component the config leaves out', async () => {
    const res = await fetch(`${limited.url}/v1/vision/handwriting`, { method: 'POST', headers: { authorization: `Bearer ${SECOND_CLIENT_KEY}`, ...student }, body: form({ image: png, target: 'a' }) });
    expect(res.status).toBe(404);
    expect(ErrorBodySchema.parse(await res.json()).error).toMatchObject({ code: 'not_found', component: 'vision' });
  });
});
