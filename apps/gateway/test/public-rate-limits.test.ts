// The public API's rate limits on the real gateway: per student (one child cannot starve a class), per client
// key (a ceiling), per address after failed keys, each gateway enforcing its share with several replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@bascule/contracts';
import { auth, CLIENT_KEY, SECOND_CLIENT_KEY, startPublicStack, type PublicStack } from './support/public-stack.ts';

const speech = (url: string, student: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/audio/speech`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': student, ...headers }, body: JSON.stringify({ input: 'maison', voice: 'default' }) });

async function statuses(responses: Promise<Response>[]): Promise<number[]> {
  return (await Promise.all(responses)).map((r) => r.status);
}

describe('per-student limit', () => {
  let stack: PublicStack;
  beforeAll(async () => {
    stack = await startPublicStack((loaded) => {
      loaded.config.auth.rateLimitPerMinute = 1_000;
      loaded.config.auth.studentRateLimitPerMinute = 3;
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses a noisy student past the limit while the rest of the class, on the same key, is served', async () => {
    const noisy = [];
    for (let i = 0; i < 3; i++) noisy.push((await speech(stack.url, 'eleve-bruyant')).status);
    expect(noisy).toEqual([200, 200, 200]);
    const refused = await speech(stack.url, 'eleve-bruyant');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const error = ErrorBodySchema.parse(await refused.json()).error;
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error.message).toMatch(/this student: 3 a minute, retry in \d+ s/);
    expect(await statuses(Array.from({ length: 10 }, (_, i) => speech(stack.url, `eleve-${i}`)))).toEqual(Array(10).fill(200));
  });

  it('counts a student per client key, and by the chat "user" field too', async () => {
    expect((await speech(stack.url, 'eleve-bruyant', auth(SECOND_CLIENT_KEY))).status).toBe(200);
    const chat = () =>
      fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ user: 'eleve-chat', messages: [{ role: 'user', content: 'Bonjour' }] }) });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await chat()).status);
    expect(seen).toEqual([200, 200, 200, 429]);
  });
});

describe('each replica enforces its share', () => {
  let stack: PublicStack;
  beforeAll(async () => {
    stack = await startPublicStack((loaded) => {
      loaded.config.server.replicas = 2;
      loaded.config.auth.rateLimitPerMinute = 7; // 4 on this gateway
      loaded.config.auth.studentRateLimitPerMinute = 4; // 2 on this gateway
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('halves the per-student and per-key limits with two gateways', async () => {
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await speech(stack.url, 'eleve-a')).status);
    expect(seen).toEqual([200, 200, 429]);
    // The key's share (4) counts every authenticated request, the student's 429 included.
    expect((await speech(stack.url, 'eleve-b')).status).toBe(200);
    const ceiling = await speech(stack.url, 'eleve-c');
    expect(ceiling.status).toBe(429);
    expect(ErrorBodySchema.parse(await ceiling.json()).error.message).toMatch(/this client key: 7 a minute/);
  });
});

describe('failed authentications', () => {
  let stack: PublicStack;
  beforeAll(async () => {
    stack = await startPublicStack((loaded) => {
      loaded.config.auth.failedAuthPerMinute = 3;
      loaded.config.server.clientAddressHeader = 'cf-connecting-ip';
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers 429 to an address after repeated bad keys, even with a good key, and only to that address', async () => {
    const from = (ip: string, key: string) => speech(stack.url, 'eleve-1', { authorization: `Bearer ${key}`, 'cf-connecting-ip': ip });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await from('198.51.100.9', `wrong-${i}`)).status);
    expect(seen).toEqual([401, 401, 401]);
    const blocked = await from('198.51.100.9', CLIENT_KEY);
    expect(blocked.status).toBe(429);
    expect(ErrorBodySchema.parse(await blocked.json()).error.message).toMatch(/missing or unknown client key from this address: 3 a minute/);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await from('203.0.113.4', CLIENT_KEY)).status).toBe(200);
  });
});
