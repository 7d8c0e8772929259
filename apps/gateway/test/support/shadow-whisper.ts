// A stand-in for the production transcriber (faster-whisper's `POST /transcribe`) that the shadow tests
// steer: it hears the lab's marker like the lab does, then answers it right (`agree`), with its last word
// wrong (`disagree`: a production model worse than the MVP at the same speed), or fails (`fail`: a 503);
// after `delayMs`. It notes when each call arrived and when it answered, for the tests' ordering checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMarker, SAY_MARKER } from '@bascule/lab';

export interface ShadowWhisper {
  baseUrl: string;
  mode: 'agree' | 'disagree' | 'fail';
  delayMs: number;
  /** `received` and `answered`, in order, shared with the test's own notes. */
  timeline: string[];
  calls: number;
  close(): Promise<void>;
}

export async function startShadowWhisper(timeline: string[]): Promise<ShadowWhisper> {
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      upstream.calls += 1;
      timeline.push('shadow received');
      const said = readMarker(Buffer.concat(parts), SAY_MARKER) ?? '';
      setTimeout(() => {
        timeline.push('shadow answered');
        if (res.destroyed) return;
        if (upstream.mode === 'fail') {
          res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 503, message: 'model not loaded' } }));
          return;
        }
        const text = upstream.mode === 'agree' ? said : said.replace(/\S+$/u, 'banane');
        const body = { text, language: 'fr', confidence: 0.9, segments: [{ start: 0, end: 1, text, avg_logprob: -0.1, no_speech_prob: 0.01 }], latency_ms: upstream.delayMs };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }, upstream.delayMs);
    });
  });
  const upstream: ShadowWhisper = {
    baseUrl: '',
    mode: 'agree',
    delayMs: 0,
    timeline,
    calls: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}
