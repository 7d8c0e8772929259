// The gateway's logger always redacts credentials and the raw student id (LOG_REDACT), whatever logger
// options the caller gives: a request logged with its headers shows `[redacted]` in their place.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spokenWav } from '@bascule/lab';
import { withRedaction } from '../src/app.ts';
import { LOG_REDACT } from '../src/http/index.ts';
import { startLoggedStack, type LoggedStack } from './support/logged-stack.ts';
import { auth, CLIENT_KEY } from './support/public-stack.ts';

const STUDENT = 'eleve-journal-5c1e';
const COOKIE = 'session=biscuit-secret-91';
let stack: LoggedStack;

beforeAll(async () => {
  stack = await startLoggedStack(); // no `redact` given: the gateway adds its own
});
afterAll(async () => {
  await stack.close();
});

describe('log redaction', () => {
  it('a request logged with its headers shows [redacted] for Authorization, X-Student-Id and Cookie', async () => {
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(spokenWav('bonjour'))], { type: 'audio/wav' }), 'a.wav');
    const res = await fetch(`${stack.url}/v1/audio/transcriptions`, { method: 'POST', headers: { ...auth(), 'x-student-id': STUDENT, cookie: COOKIE }, body, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const log = stack.log();
    // @fastify/multipart logs the request's headers at trace level: they are there, redacted.
    const withHeaders = log.split('\n').filter((l) => l.includes('"headers"'));
    expect(withHeaders.length).toBeGreaterThan(0);
    expect(withHeaders.join('\n')).toContain('"authorization":"[redacted]"');
    expect(withHeaders.join('\n')).toContain('"x-student-id":"[redacted]"');
    expect(withHeaders.join('\n')).toContain('"cookie":"[redacted]"');
    expect(log).not.toContain(CLIENT_KEY);
    expect(log).not.toContain(STUDENT);
    expect(log).not.toContain('biscuit-secret');
  });

  it('the default logger and any options given get LOG_REDACT; false stays off', () => {
    expect(withRedaction({ level: 'info' })).toEqual({ level: 'info', redact: LOG_REDACT });
    expect(withRedaction({ level: 'debug', redact: ['nothing'] })).toEqual({ level: 'debug', redact: LOG_REDACT });
    expect(withRedaction(true)).toEqual({ level: 'info', redact: LOG_REDACT });
    expect(withRedaction(false)).toBe(false);
  });

  it('redacts the three headers alike wherever a headers object is logged: top level, or one level down', () => {
    const lines: string[] = [];
    const log = pino({ redact: LOG_REDACT }, new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString('utf8'))) }));
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'x-student-id': STUDENT, cookie: COOKIE };
    log.info({ headers }, 'top level');
    log.info({ req: { headers }, options: { headers } }, 'nested');
    const written = lines.join('');
    expect(written.match(/"\[redacted\]"/g)).toHaveLength(9);
    expect(written).not.toContain(CLIENT_KEY);
    expect(written).not.toContain(STUDENT);
    expect(written).not.toContain('biscuit-secret');
  });
});
