// A stand-in for the Bascule gateway on 127.0.0.1, speaking the gateway's documented wire format
// (see @bascule/contracts), plus the page and bundle the browser tests load. One mode per path prefix:
//   /directive/...  answers speech with the Web Speech directive
//   /audio/...      answers speech with a WAV, and the JSON endpoints with canned bodies
//   /error/...      answers every call with a 401 error body
//   /overloaded/... answers every call with a 502 error body (every provider failed)
//   /ratelimited/... answers every call with a 429 error body (the client key's rate limit)
//   /silent/...     never answers (the client's timeout must fire)
//   /garbled/...    answers speech with bytes labelled audio/wav that are not a WAV
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody, WebSpeechDirective } from '@bascule/contracts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A short mono 16-bit PCM WAV (a 440 Hz tone), as Coqui's image answers. */
export function toneWav(seconds = 0.2, sampleRate = 8_000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8_000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), 44 + i * 2);
  return wav;
}

export const WAV = toneWav();

const ROUTE_HEADERS = { 'x-bascule-component': 'tts', 'x-bascule-provider': 'coqui', 'x-bascule-route': 'production', 'x-bascule-latency-ms': '42' };

export const CANNED = {
  chat: { id: 'chatcmpl-1', object: 'chat.completion', created: 1_764_000_000, model: 'llama-3.1-8b', choices: [{ index: 0, message: { role: 'assistant', content: 'Le chat dort.' }, finish_reason: 'stop' }] },
  transcription: { text: 'le chat dort' },
  reading: {
    transcript: 'le chien dort',
    expected: 'le chat dort',
    words: [
      { expected: 'le', heard: 'le', verdict: 'correct' },
      { expected: 'chat', heard: 'chien', verdict: 'substituted' },
      { expected: 'dort', heard: 'dort', verdict: 'correct' },
    ],
    score: 2 / 3,
    wer: 1 / 3,
    provider: 'faster-whisper',
  },
  rating: { accepted: true, component: 'stt', provider: 'faster-whisper', route: 'production' },
  handwriting: { text: 'a', confidence: 0.93, boxes: [{ text: 'a', confidence: 0.93, bbox: [4, 4, 30, 30] }], target: 'a', verdict: 'correct', advice: 'Bravo !', provider: 'trocr' },
} as const;

/** The error bodies the modes answer, as the gateway writes them. */
export const ERRORS = {
  unauthorized: { error: { code: 'unauthorized', message: 'unknown client key' } },
  upstreamFailed: { error: { code: 'upstream_failed', message: 'every provider of tts failed', component: 'tts' } },
  rateLimited: { error: { code: 'rate_limited', message: 'too many requests for this client key' } },
  badTarget: { error: { code: 'invalid_request', message: 'target: expected a single letter', field: 'target' } },
} satisfies Record<string, ErrorBody>;

/** The Web Speech directive the gateway answers when a student's tts route resolves to the browser. */
export function directiveFor(input: string): WebSpeechDirective {
  return { provider: 'web-speech', text: input, lang: 'fr-FR', rate: 0.9, voice: 'Amélie' };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function answerGateway(mode: string, path: string, body: Buffer, res: ServerResponse): void {
  if (mode === 'silent') return; // never answers; closed with the server
  if (mode === 'error') return json(res, 401, ERRORS.unauthorized);
  if (mode === 'overloaded') return json(res, 502, ERRORS.upstreamFailed);
  if (mode === 'ratelimited') return json(res, 429, ERRORS.rateLimited, { 'retry-after': '1' });
  if (path === '/v1/audio/speech') {
    if (mode === 'garbled') {
      res.writeHead(200, { 'content-type': 'audio/wav', ...ROUTE_HEADERS });
      return void res.end('this is not a RIFF file');
    }
    if (mode === 'directive') {
      const { input } = JSON.parse(body.toString('utf8')) as { input: string };
      return json(res, 200, directiveFor(input), { ...ROUTE_HEADERS, 'x-bascule-provider': 'web-speech', 'x-bascule-route': 'mvp' });
    }
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(WAV.length), ...ROUTE_HEADERS });
    return void res.end(WAV);
  }
  if (path === '/v1/chat/completions') return json(res, 200, CANNED.chat);
  if (path === '/v1/satisfaction') return json(res, 202, CANNED.rating);
  if (path === '/v1/audio/transcriptions') return json(res, 200, CANNED.transcription);
  if (path === '/v1/reading/check') return json(res, 200, CANNED.reading);
  if (path === '/v1/vision/handwriting') {
    return body.includes('name="target"\r\n\r\nab\r\n') ? json(res, 400, ERRORS.badTarget) : json(res, 200, CANNED.handwriting);
  }
  json(res, 404, { error: { code: 'not_found', message: `no route ${path}` } });
}

export interface FakeGateway {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Serves `/` (an empty page), `/client.js` (the bundle) and the gateway modes above. */
export async function startFakeGateway(bundle: string): Promise<FakeGateway> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // An empty icon: the browser asks no /favicon.ico, which would land, late, among the recorded calls.
      if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><link rel="icon" href="data:,"><script src="/client.js"></script>');
      if (url.pathname === '/client.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      const [, mode = '', ...rest] = url.pathname.split('/');
      const path = `/${rest.join('/')}`;
      const body = Buffer.concat(chunks);
      if (!/^\/[a-z]+\/v1\//.test(url.pathname)) return void res.writeHead(404).end(); // not a gateway call: not recorded
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      answerGateway(mode, path, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An address where nothing listens: a port the OS gave us, then closed. */
export async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
