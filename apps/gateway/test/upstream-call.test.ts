// callJson, callUpstream and readBody (adapters/http.ts) at the wire, against a scripted node:http upstream
// on loopback: a body in several chunks, a 2xx that is not JSON, an error status with the provider's message,
// the overall timeout, a caller that gives up mid-call (the upstream sees its connection dropped), and
// answers heavier than the gateway accepts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyFailure } from '@bascule/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, callUpstream, readBody, UPSTREAM_BODY_LIMITS, UpstreamError, UpstreamProtocolError } from '../src/adapters/http.ts';
import { sseData } from '../src/adapters/sse.ts';

type Script = (req: IncomingMessage, res: ServerResponse) => void;
const scripts = new Map<string, Script>();
const arrived: string[] = [];
const closed: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    req.socket.once('close', () => closed.push(path));
    req.resume();
    req.on('end', () => {
      arrived.push(path);
      scripts.get(path)?.(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
  callJson<unknown>({ method: 'POST', url: `${base}${path}`, headers: { 'content-type': 'application/json' }, body: '{"x":1}', timeoutMs: extra.timeoutMs ?? 5_000, ...(extra.signal ? { signal: extra.signal } : {}) });

describe('callJson', () => {
  it('parses a JSON body sent in several chunks', async () => {
    scripts.set('/chunks', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"text":"le ');
      setImmediate(() => res.end('chat","n":2}'));
    });
    await expect(post('/chunks')).resolves.toEqual({ text: 'le chat', n: 2 });
  });

  it('a 2xx that is not JSON is a protocol error naming the path', async () => {
    scripts.set('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'));
    const error = await post('/html').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamProtocolError);
    expect((error as Error).message).toBe('/html: expected a JSON body, got <html>oops</html>');
  });

  it('an error status carries the status, the provider’s message and its parsed body', async () => {
    scripts.set('/busy?x=1', (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded","type":"server_error"}}'));
    const error = await post('/busy?x=1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 503, message: '/busy answered 503: overloaded', body: { error: { type: 'server_error' } } });
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', kind: 'server', status: 503 });
  });

  it('an upstream that never answers times out, classified as a timeout, and its connection is dropped', async () => {
    scripts.set('/hang', () => undefined);
    const error = await post('/hang', { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', kind: 'timeout' });
    await expect.poll(() => closed.includes('/hang')).toBe(true);
  });

  it('a caller that gives up mid-call gets its reason, and the upstream sees the connection dropped', async () => {
    scripts.set('/slow', () => undefined);
    const caller = new AbortController();
    const call = post('/slow', { signal: caller.signal }).catch((e: unknown) => e);
    await expect.poll(() => arrived.includes('/slow')).toBe(true);
    const reason = new Error('client left');
    caller.abort(reason);
    expect(await call).toBe(reason);
    await expect.poll(() => closed.includes('/slow')).toBe(true);
  });

  it('a caller that gave up before the call sends nothing', async () => {
    scripts.set('/never', (_req, res) => res.end('{}'));
    const caller = new AbortController();
    caller.abort(new Error('gone'));
    await expect(post('/never', { signal: caller.signal })).rejects.toThrow('gone');
    expect(arrived).not.toContain('/never');
  });
});

/** Writes `total` bytes of `fill` in 64 KiB pieces, then ends (or never ends, with `endless`). */
function heavy(res: ServerResponse, status: number, total: number, fill = 'x'): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  const piece = fill.repeat(64 * 1024);
  let sent = 0;
  const next = (): void => {
    while (sent < total && !res.destroyed) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', next);
    }
    res.end();
  };
  next();
}

describe('answers heavier than the gateway accepts', () => {
  it('a JSON answer over the limit is cut and is a protocol error naming the path and the limit', async () => {
    scripts.set('/huge', (_req, res) => heavy(res, 200, UPSTREAM_BODY_LIMITS.json + 256 * 1024));
    const error = await post('/huge').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamProtocolError);
    expect((error as Error).message).toBe(`/huge: answered more than ${UPSTREAM_BODY_LIMITS.json} bytes`);
    expect(classifyFailure(error)).toMatchObject({ class: 'transient' });
    await expect.poll(() => closed.includes('/huge')).toBe(true);
  });

  it('an error body is read for its message only (its first 64 KiB), the status kept', async () => {
    scripts.set('/huge-error', (_req, res) => heavy(res, 500, 4 * 1024 * 1024, 'e'));
    const error = await callUpstream({ method: 'POST', url: `${base}/huge-error`, body: '{}', timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toBe(`/huge-error answered 500: ${'e'.repeat(200)}`);
    // Not read to its end: the connection is dropped rather than drained of 4 MiB.
    await expect.poll(() => closed.includes('/huge-error')).toBe(true);
  });

  it('readBody returns a body within the limit and refuses one over it', async () => {
    scripts.set('/wav-ok', (_req, res) => heavy(res, 200, 128 * 1024, 'w'));
    const ok = await callUpstream({ method: 'POST', url: `${base}/wav-ok`, body: '{}', timeoutMs: 5_000 });
    expect((await readBody(ok.body, 256 * 1024, `${base}/wav-ok`)).length).toBe(128 * 1024);
    ok.done();
    scripts.set('/wav-big', (_req, res) => heavy(res, 200, 1024 * 1024, 'w'));
    const big = await callUpstream({ method: 'POST', url: `${base}/wav-big`, body: '{}', timeoutMs: 5_000 });
    await expect(readBody(big.body, 256 * 1024, `${base}/wav-big`)).rejects.toThrow(`/wav-big: answered more than ${256 * 1024} bytes`);
    big.done();
  });

  it('a stream event that never ends is refused once it passes the limit', async () => {
    async function* runaway(): AsyncGenerator<string> {
      yield 'data: {"ok":1}\n\n';
      for (;;) yield 'data: ' + 'x'.repeat(1000) + '\n';
    }
    const seen: string[] = [];
    const read = (async () => {
      for await (const data of sseData(runaway(), 50_000)) seen.push(data);
    })();
    await expect(read).rejects.toThrow('stream event longer than 50000 characters');
    expect(seen).toEqual(['{"ok":1}']);
  });
});
