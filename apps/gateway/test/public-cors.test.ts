// The reading app calls the public API from the browser, on another origin: preflights are answered for
// the configured origins (before the key check: a preflight carries no key), and every answer to an
// allowed origin lets the page read the X-Bascule-* headers. No origin is allowed unless configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../src/config/index.ts';
import { createGateway, type Gateway } from '../src/app.ts';
import { allowedOrigin } from '../src/http/cors.ts';
import { CLIENT_KEY, FakeClock, testConfig } from './helpers.ts';
import { auth, startPublicStack } from './support/public-stack.ts';

const APP = 'https://lire.example.fr';
const gateways: Gateway[] = [];
async function gateway(allowedOrigins?: string[]): Promise<Gateway> {
  const loaded: LoadedConfig = testConfig();
  if (allowedOrigins) loaded.config.server.cors.allowedOrigins = allowedOrigins;
  const gw = await createGateway({ loaded, storePath: ':memory:', clock: new FakeClock(), logger: false, analysisLoop: false, dashboardDir: null });
  gateways.push(gw);
  return gw;
}
let named: Gateway;
beforeAll(async () => {
  named = await gateway([APP]);
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

const preflight = (gw: Gateway, origin: string, url = '/v1/audio/speech') =>
  gw.app.inject({ method: 'OPTIONS', url, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-student-id' } });

const speech = (gw: Gateway, origin?: string, key = CLIENT_KEY) =>
  gw.app.inject({
    method: 'POST',
    url: '/v1/audio/speech',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-student-id': 'eleve-1', ...(origin ? { origin } : {}) },
    payload: { input: 'maison', voice: 'default' },
  });

describe('CORS on the public API', () => {
  it('answers a preflight from an allowed origin without a key', async () => {
    const res = await preflight(named, APP);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers.vary).toMatch(/Origin/);
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).split(', ')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-student-id']));
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('refuses a preflight from another origin with a 403 in the shared error shape', async () => {
    const res = await preflight(named, 'https://evil.example');
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.json().error).toMatchObject({ code: 'forbidden' });
    expect(res.json().error.message).toContain('https://evil.example');
  });

  it('lets an allowed page read the X-Bascule-* headers of a routed answer', async () => {
    const res = await speech(named, APP);
    expect(res.statusCode).toBe(200); // tts at 0 %: the Web Speech directive, no upstream needed
    expect(res.headers['x-bascule-route']).toBe('mvp');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    const exposed = String(res.headers['access-control-expose-headers']).split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['x-bascule-component', 'x-bascule-provider', 'x-bascule-route', 'x-bascule-latency-ms', 'x-bascule-overhead-ms']));
  });

  it('adds the headers to errors too, so the page can read why', async () => {
    const res = await speech(named, APP, 'not-a-key');
    expect(res.statusCode).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('sends no CORS header to other origins, to requests without Origin, nor outside /v1', async () => {
    expect((await speech(named, 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await speech(named)).headers['access-control-allow-origin']).toBeUndefined();
    const health = await named.app.inject({ url: '/healthz', headers: { origin: APP } });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no origin when the config names none (the production default)', async () => {
    const closed = await gateway([]);
    expect((await preflight(closed, APP)).statusCode).toBe(403);
    expect((await speech(closed, APP)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin with * (the local config), without credentials', async () => {
    const local = await gateway();
    expect(local.config.server.cors.allowedOrigins).toEqual(['*']);
    const res = await preflight(local, 'http://localhost:5173', '/v1/chat/completions');
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('matches origins exactly', () => {
    expect(allowedOrigin([APP], APP)).toBe(APP);
    expect(allowedOrigin([APP], `${APP}.evil.example`)).toBeNull();
    expect(allowedOrigin([APP], 'http://lire.example.fr')).toBeNull();
    expect(allowedOrigin([APP], undefined)).toBeNull();
    expect(allowedOrigin(['*'], 'null')).toBe('*');
  });
});

describe('CORS on a streamed answer', () => {
  it('carries the CORS headers on server-sent events too (the reply is written raw)', async () => {
    const stack = await startPublicStack((loaded) => {
      loaded.config.server.cors.allowedOrigins = [APP];
    });
    try {
      const res = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...auth(), origin: APP, 'content-type': 'application/json', 'x-student-id': 'eleve-1' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour' }], stream: true }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-expose-headers')).toContain('x-bascule-route');
      expect(await res.text()).toContain('[DONE]');
    } finally {
      await stack.close();
    }
  });
});
