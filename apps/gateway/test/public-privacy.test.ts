// Nothing a child or a client key could be recognised by reaches the logs: not the raw student id, not the
// key, not the audio or image bytes (even at trace level); metrics carry no student either.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handwrittenPng, spokenWav } from '@bascule/lab';
import { LOG_REDACT } from '../src/http/index.ts';
import { startLoggedStack, type LoggedStack } from './support/logged-stack.ts';
import { auth, CLIENT_KEY } from './support/public-stack.ts';

const STUDENT = 'eleve-unique-7f3a9';
let stack: LoggedStack;

beforeAll(async () => {
  stack = await startLoggedStack(); // the gateway's own redaction, as deployed
});
afterAll(async () => {
  await stack.close();
});

describe('privacy', () => {
  it('logs neither the raw student id, nor the client key, nor the uploaded bytes', async () => {
    const headers = { ...auth(), 'x-student-id': STUDENT };
    const reading = new FormData();
    reading.append('audio', new Blob([new Uint8Array(spokenWav('le secret du chat'))], { type: 'audio/wav' }), 'r.wav');
    reading.append('expected', 'le chat');
    const writing = new FormData();
    writing.append('image', new Blob([new Uint8Array(handwrittenPng('q'))], { type: 'image/png' }), 'w.png');
    writing.append('target', 'q');
    const responses = await Promise.all([
      fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }) }),
      fetch(`${stack.url}/v1/reading/check`, { method: 'POST', headers, body: reading }),
      fetch(`${stack.url}/v1/vision/handwriting`, { method: 'POST', headers, body: writing }),
      fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{bad json' }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400]);
    const log = stack.log();
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(STUDENT);
    expect(log).not.toContain(CLIENT_KEY);
    expect(log).not.toContain('BASCULE-SAY');
    expect(log).not.toContain('BASCULE-WROTE');
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).not.toContain(STUDENT);
  });

  it('redacts the authorization and student headers when a request is logged with its headers', () => {
    const out: string[] = [];
    const logger = pino({ redact: LOG_REDACT }, { write: (s: string) => out.push(s) });
    logger.info({ req: { headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-student-id': STUDENT } } }, 'request');
    expect(out.join('')).not.toContain(CLIENT_KEY);
    expect(out.join('')).not.toContain(STUDENT);
    expect(out.join('')).toContain('[redacted]');
  });

  it('reports its overhead in /metrics for routed requests', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/bascule_overhead_seconds_count\{component="llm"\} [1-9]/);
    expect(metrics).toMatch(/bascule_requests_total\{component="stt",route="mvp",status="200"\} 1/);
    expect(metrics).toMatch(/bascule_cost_eur_total\{provider="huggingface",component="llm"\} \d/);
  });
});
