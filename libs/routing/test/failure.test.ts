import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../src/index.ts';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it.each([
    [{ type: 'timeout' }, 'transient', 'timeout'],
    [{ type: 'connection', code: 'ECONNREFUSED' }, 'transient', 'connection'],
    [{ type: 'status', status: 500 }, 'transient', 'server'],
    [{ type: 'status', status: 502 }, 'transient', 'server'],
    [{ type: 'status', status: 503 }, 'transient', 'server'],
    [{ type: 'status', status: 429 }, 'transient', 'rate-limited'],
    [{ type: 'status', status: 400 }, 'client', 'client'],
    [{ type: 'status', status: 413 }, 'client', 'client'],
    [{ type: 'status', status: 415 }, 'client', 'client'],
    [{ type: 'status', status: 422 }, 'client', 'client'],
    [{ type: 'status', status: 404 }, 'client', 'client'],
  ] as const)('%j is %s (%s)', (input, klass, kind) => {
    expect(classifyFailure(input)).toMatchObject({ class: klass, kind });
  });

  it('reads Node and undici errors by code and name', () => {
    expect(classifyFailure(withCode('ECONNREFUSED'))).toMatchObject({ class: 'transient', kind: 'connection' });
    expect(classifyFailure(withCode('ECONNRESET'))).toMatchObject({ class: 'transient', kind: 'connection' });
    expect(classifyFailure(withCode('UND_ERR_SOCKET'))).toMatchObject({ class: 'transient', kind: 'connection' });
    expect(classifyFailure(withCode('UND_ERR_HEADERS_TIMEOUT'))).toMatchObject({ class: 'transient', kind: 'timeout' });
    expect(classifyFailure(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))).toMatchObject({ kind: 'timeout' });
    expect(classifyFailure(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toMatchObject({ kind: 'timeout' });
    // fetch() wraps the socket error in `cause`
    expect(classifyFailure(new TypeError('fetch failed', { cause: withCode('ECONNRESET') }))).toMatchObject({ kind: 'connection' });
  });

  it('reads an HTTP status carried by an error', () => {
    expect(classifyFailure(Object.assign(new Error('bad'), { status: 400 }))).toMatchObject({ class: 'client', status: 400 });
    expect(classifyFailure(Object.assign(new Error('down'), { statusCode: 503 }))).toMatchObject({ class: 'transient', status: 503 });
  });

  it('treats an unnamed upstream failure as transient', () => {
    expect(classifyFailure(new SyntaxError('Unexpected token < in JSON'))).toMatchObject({ class: 'transient', kind: 'unknown' });
    expect(classifyFailure('weird')).toMatchObject({ class: 'transient', kind: 'unknown', message: 'weird' });
  });
});
