// Errors outside the public and admin scopes keep the shared shape `{error:{code,message}}`: what Node's
// HTTP parser refuses (431, malformed headers), URLs the router cannot decode, the dashboard's missing files;
// 502s name the provider and the kind of failure, never an upstream address; /metrics moves to its own
// listener when configured; the admin API refuses bad values and bodies clearly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@bascule/contracts';
import { startGateway, type Gateway } from '../src/app.ts';
import { adminHeaders, CLIENT_KEY, testConfig } from './helpers.ts';

/** Sends raw bytes and reads the answer until the server closes the connection. */
function rawRequest(url: string, text: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
  });
}

let url: string;
let gateway: Gateway;
let close: () => Promise<void>;
let dashboardDir: string;
beforeAll(async () => {
  dashboardDir = mkdtempSync(join(tmpdir(), 'bascule-dashboard-'));
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Bascule</title>');
  const loaded = testConfig(); // every provider at 127.0.0.1:9, where nothing listens
  loaded.config.metrics = { host: '127.0.0.1', port: 0 };
  ({ url, close, gateway } = await startGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir }));
});
afterAll(async () => {
  await close();
  rmSync(dashboardDir, { recursive: true, force: true });
});

describe('the error shape outside the API scopes', () => {
  it('answers 431 in the shape when the headers are too large', async () => {
    const res = await rawRequest(url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(ErrorBodySchema.parse(JSON.parse(res.body)).error).toMatchObject({ code: 'headers_too_large' });
  });

  it('answers 400 in the shape to a malformed header', async () => {
    const res = await rawRequest(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nNot a header line\r\n\r\n');
    expect(res.status).toBe(400);
    expect(ErrorBodySchema.parse(JSON.parse(res.body)).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/malformed HTTP/) });
  });

  it.each([
    ['/dashboard/missing.js', 404, 'not_found'],
    ['/dashboard/%E0%A4%A', 400, 'invalid_request'],
    ['/nowhere', 404, 'not_found'],
  ])('answers %s with %i in the shape', async (path, status, code) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(status);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe(code);
  });

  it('still serves the dashboard itself', async () => {
    const res = await fetch(`${url}/dashboard/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Bascule</title>');
  });
});

describe('upstream failures', () => {
  it('names the provider and the kind of failure in a 502, never the address', async () => {
    const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': 'eleve-1' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour' }] }) });
    expect(res.status).toBe(502);
    const { message } = ErrorBodySchema.parse(await res.json()).error;
    expect(message).toMatch(/huggingface: connection refused/);
    expect(message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
  });
});

describe('/metrics on its own listener', () => {
  it('is served on the monitoring listener and not on the public port', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    const metricsUrl = gateway.metricsUrl();
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('bascule_rollout_weight_percent');
    expect((await fetch(`${metricsUrl}/admin/v1/components`, { headers: adminHeaders })).status).toBe(404);
  });
});

describe('admin API bad input', () => {
  const put = (body: string, contentType = 'application/json') => fetch(`${url}/admin/v1/components/stt/weight`, { method: 'PUT', headers: { ...adminHeaders, 'content-type': contentType }, body });

  it('reports a weight of 1e400 as a number too large, not as null', async () => {
    const res = await put('{"weight":1e400,"reason":"x"}');
    expect(res.status).toBe(400);
    const error = ErrorBodySchema.parse(await res.json()).error;
    expect(error.field).toBe('weight');
    expect(error.message).toMatch(/too large to represent/);
    expect(error.message).not.toMatch(/got null/);
  });

  it('answers 400, not 500, to a deeply nested body', async () => {
    const res = await put(`{"weight":${'['.repeat(100_000)}${']'.repeat(100_000)},"reason":"x"}`);
    expect(res.status).toBe(400);
    expect(ErrorBodySchema.parse(await res.json()).error).toMatchObject({ code: 'invalid_request', field: 'weight' });
  });

  it.each([
    ['application/vnd.foo+json', /expected application\/json/],
    ['application/json; charset=utf-16', /charset=utf-16/],
  ])('answers 415 to %s', async (contentType, message) => {
    const res = await put('{"weight":1,"reason":"x"}', contentType);
    expect(res.status).toBe(415);
    expect(ErrorBodySchema.parse(await res.json()).error.message).toMatch(message);
  });
});
