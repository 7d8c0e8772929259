// The admin API and the dashboard behind Cloudflare Access: only on the admin host names, only with a JWT
// that Access signed for this application (checked against the team's certificates, served here by a local
// JWKS stand-in), the admin token still required, the person's e-mail in the audit log; and their limits:
// per address, after failed admin tokens, and open event streams per caller and in all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, EventsResponseSchema } from '@bascule/contracts';
import { createGateway, startGateway, type Gateway } from '../src/app.ts';
import { adminHeaders, testConfig } from './helpers.ts';
import { AUDIENCE, startAccessStandIn, TEAM_DOMAIN, type AccessStandIn } from './support/access-jwks.ts';

const ADMIN_HOST = 'admin.example.fr';
let access: AccessStandIn;
let gw: Gateway;
let dashboardDir: string;

beforeAll(async () => {
  access = await startAccessStandIn();
  dashboardDir = mkdtempSync(join(tmpdir(), 'bascule-dashboard-'));
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Bascule</title>');
  const loaded = testConfig();
  loaded.config.admin = { ...loaded.config.admin, hostnames: [ADMIN_HOST], access: { teamDomain: TEAM_DOMAIN, audience: AUDIENCE } };
  gw = await createGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir, access: { certsUrl: access.certsUrl } });
});
afterAll(async () => {
  await gw.close();
  await access.close();
  rmSync(dashboardDir, { recursive: true, force: true });
});

async function asAdmin(assertion: string | null, options: { url?: string; host?: string; method?: 'GET' | 'PUT'; payload?: object; token?: boolean } = {}) {
  const headers: Record<string, string> = { host: options.host ?? ADMIN_HOST, ...(options.token === false ? {} : adminHeaders) };
  if (assertion !== null) headers['cf-access-jwt-assertion'] = assertion;
  return gw.app.inject({ method: options.method ?? 'GET', url: options.url ?? '/admin/v1/components', headers, ...(options.payload ? { payload: options.payload } : {}) });
}

function errorOf(res: { json(): unknown }) {
  return ErrorBodySchema.parse(res.json()).error;
}

describe('Cloudflare Access JWT', () => {
  it('lets a valid assertion with the admin token through', async () => {
    const res = await asAdmin(await access.sign());
    expect(res.statusCode).toBe(200);
    expect(access.fetches).toBeGreaterThanOrEqual(1);
  });

  it("records the person's e-mail from the verified JWT as the audit event's actor", async () => {
    const res = await asAdmin(await access.sign({ email: 'grace@ecole.example.fr' }), { method: 'PUT', url: '/admin/v1/components/stt/weight', payload: { weight: 10, reason: 'first step' } });
    expect(res.statusCode).toBe(200);
    const events = EventsResponseSchema.parse((await asAdmin(await access.sign(), { url: '/admin/v1/events?limit=1' })).json());
    expect(events.events[0]).toMatchObject({ actor: 'grace@ecole.example.fr', action: 'set-weight', reason: 'first step' });
  });

  const refusals: { name: string; assertion: () => Promise<string | null>; status: number; message: RegExp }[] = [
    { name: 'missing header', assertion: async () => null, status: 401, message: /cf-access-jwt-assertion: missing/ },
    { name: 'expired', assertion: () => access.sign({ expiresIn: -60 }), status: 403, message: /expired/ },
    { name: 'wrong audience', assertion: () => access.sign({ aud: 'another-application' }), status: 403, message: /wrong "aud"/ },
    { name: 'wrong issuer', assertion: () => access.sign({ iss: 'https://someone-else.cloudflareaccess.com' }), status: 403, message: /wrong "iss"/ },
    {
      name: 'tampered signature',
      assertion: async () => {
        const [header, payload, signature] = (await access.sign()).split('.');
        const flipped = (signature![10] === 'A' ? 'B' : 'A') + '';
        return `${header}.${payload}.${signature!.slice(0, 10)}${flipped}${signature!.slice(11)}`;
      },
      status: 403,
      message: /signature does not verify/,
    },
    {
      name: 'tampered payload (another e-mail)',
      assertion: async () => {
        const [header, , signature] = (await access.sign()).split('.');
        const payload = Buffer.from(JSON.stringify({ email: 'mallory@example.com', aud: AUDIENCE, iss: `https://${TEAM_DOMAIN}`, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
      status: 403,
      message: /signature does not verify/,
    },
    { name: 'signed by a key the team does not publish', assertion: () => access.sign({}, { key: 'stranger' }), status: 403, message: /signature does not verify|does not publish/ },
    { name: 'not a JWT', assertion: async () => 'not-a-jwt', status: 403, message: /not a valid Access token/ },
  ];

  it.each(refusals)('refuses $name with $status, even with the admin token', async ({ assertion, status, message }) => {
    const res = await asAdmin(await assertion());
    expect(res.statusCode).toBe(status);
    const error = errorOf(res);
    expect(error.message).toMatch(message);
    expect(error.field).toBe('cf-access-jwt-assertion');
  });

  it('still wants the admin token with a valid assertion (defence in depth)', async () => {
    const res = await asAdmin(await access.sign(), { token: false });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthorized');
  });

  it('puts the dashboard behind Access too', async () => {
    expect((await asAdmin(null, { url: '/dashboard/', token: false })).statusCode).toBe(401);
    const page = await asAdmin(await access.sign(), { url: '/dashboard/', token: false });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Bascule</title>');
  });
});

describe('Access certificates out of reach', () => {
  it('answers 503, never lets the request through', async () => {
    const loaded = testConfig();
    loaded.config.admin = { ...loaded.config.admin, access: { teamDomain: TEAM_DOMAIN, audience: AUDIENCE } };
    // Port 9 on loopback: nothing listens there, the fetch is refused at once.
    const cut = await createGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null, access: { certsUrl: new URL('http://127.0.0.1:9/cdn-cgi/access/certs') } });
    try {
      const res = await cut.app.inject({ url: '/admin/v1/components', headers: { ...adminHeaders, 'cf-access-jwt-assertion': await access.sign() } });
      expect(res.statusCode).toBe(503);
      expect(errorOf(res)).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Access's certificates/) });
    } finally {
      await cut.close();
    }
  });
});

describe('admin host names', () => {
  it.each(['/admin/v1/components', '/dashboard/', '/dashboard'])('answers 404 on the API host name for %s, credentials or not', async (url) => {
    const res = await asAdmin(await access.sign(), { url, host: 'api.example.fr' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });

  it('leaves the public API and the probes on every host name', async () => {
    expect((await gw.app.inject({ url: '/healthz', headers: { host: 'api.example.fr' } })).statusCode).toBe(200);
    const res = await gw.app.inject({ method: 'POST', url: '/v1/audio/speech', headers: { host: 'api.example.fr' }, payload: {} });
    expect(res.statusCode).toBe(401); // reached the public API's key check
  });
});

describe('admin limits', () => {
  let limited: Gateway;
  beforeAll(async () => {
    const loaded = testConfig();
    loaded.config.admin.rateLimitPerMinute = 3;
    loaded.config.auth.failedAuthPerMinute = 2;
    loaded.config.server.clientAddressHeader = 'cf-connecting-ip';
    limited = await createGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
  });
  afterAll(async () => {
    await limited.close();
  });
  const from = (ip: string, token = adminHeaders.authorization) => limited.app.inject({ url: '/admin/v1/components', headers: { authorization: token, 'cf-connecting-ip': ip } });

  it('answers 429 past the admin limit per address, with Retry-After', async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await from('198.51.100.1')).statusCode);
    expect(seen).toEqual([200, 200, 200, 429]);
    const res = await from('198.51.100.1');
    expect(errorOf(res).message).toMatch(/too many admin requests from this address: 3 a minute/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect((await from('198.51.100.2')).statusCode).toBe(200);
  });

  it('answers 429 to an address after repeated wrong admin tokens, even with the right one', async () => {
    expect((await from('198.51.100.3', 'Bearer wrong-1')).statusCode).toBe(401);
    expect((await from('198.51.100.3', 'Bearer wrong-2')).statusCode).toBe(401);
    const res = await from('198.51.100.3');
    expect(res.statusCode).toBe(429);
    expect(errorOf(res).message).toMatch(/wrong admin token from this address/);
  });
});

describe('event stream caps', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const loaded = testConfig();
    loaded.config.admin = { ...loaded.config.admin, access: { teamDomain: TEAM_DOMAIN, audience: AUDIENCE }, streams: { perCaller: 1, total: 2 } };
    ({ url, close } = await startGateway({ loaded, storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null, access: { certsUrl: access.certsUrl } }));
  });
  afterAll(async () => {
    await close();
  });

  /** Opens a stream as `email` and keeps it open until abort(). */
  async function open(email: string): Promise<{ status: number; abort(): void }> {
    const controller = new AbortController();
    const res = await fetch(`${url}/admin/v1/stream`, { headers: { ...adminHeaders, 'cf-access-jwt-assertion': await access.sign({ email }) }, signal: controller.signal });
    return { status: res.status, abort: () => controller.abort() };
  }

  it('caps open streams per caller and in all, and frees a slot when a stream closes', async () => {
    const ada = await open('ada@ecole.example.fr');
    expect(ada.status).toBe(200);
    const adaAgain = await fetch(`${url}/admin/v1/stream`, { headers: { ...adminHeaders, 'cf-access-jwt-assertion': await access.sign({ email: 'ada@ecole.example.fr' }) } });
    expect(adaAgain.status).toBe(429);
    expect(ErrorBodySchema.parse(await adaAgain.json()).error.message).toMatch(/for this caller: 1 at most/);
    const grace = await open('grace@ecole.example.fr');
    expect(grace.status).toBe(200);
    const third = await fetch(`${url}/admin/v1/stream`, { headers: { ...adminHeaders, 'cf-access-jwt-assertion': await access.sign({ email: 'linus@ecole.example.fr' }) } });
    expect(third.status).toBe(429);
    expect(ErrorBodySchema.parse(await third.json()).error.message).toMatch(/on this gateway: 2 at most/);
    ada.abort();
    await expect.poll(async () => {
      const res = await fetch(`${url}/admin/v1/stream`, { headers: { ...adminHeaders, 'cf-access-jwt-assertion': await access.sign({ email: 'linus@ecole.example.fr' }) } });
      const status = res.status;
      await res.body?.cancel();
      return status;
    }).toBe(200);
    grace.abort();
  });
});
