// callJson (adapters/http.ts) at the wire, against a scripted node:http upstream on loopback: a body in
// several chunks, a 2xx that is not JSON, an error status with the provider's message, the overall timeout,
// and a caller that gives up mid-call (the upstream sees its connection dropped).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyFailure } from '@bascule/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson, UpstreamError, UpstreamProtocolError } from '../src/adapters/http.ts';

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
