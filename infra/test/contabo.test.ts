// The Contabo dynamic provider against a local server answering as Contabo's API documents.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeContaboProvider, type ContaboInstanceInputs, type ContaboInstanceOutputs } from '../src/contabo/provider.ts';
import { FakeContabo } from './contabo-api.ts';
import { runWithMocks } from '../src/mocks/run.ts';
import { FIXTURE_SECRET_KEYS, fixtureConfig } from '../src/mocks/fixtures.ts';
import type { ContaboProvider } from '../src/contabo/provider.ts';

const api = new FakeContabo();
const provider = makeContaboProvider({ sleep: async () => {}, pollIntervalMs: 0, maxAttempts: 4 });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function inputs(overrides: Partial<ContaboInstanceInputs> = {}): ContaboInstanceInputs {
  return {
    instanceId: 12345,
    displayName: 'bascule-staging',
    allowReinstall: false,
    allowCancel: false,
    apiUrl: api.baseUrl,
    authUrl: `${api.baseUrl}/auth/token`,
    credentials: { clientId: 'INT-1', clientSecret: 'cs', apiUser: 'api@example.org', apiPassword: 'pw' },
    ...overrides,
  };
}

beforeAll(() => api.start());
afterAll(() => api.stop());
beforeEach(() => {
  api.calls.length = 0;
  api.failures.length = 0;
  api.statusesSeen.length = 0;
  api.reinstallLag = 0;
  api.instance = { ...api.instance, displayName: '', status: 'running', imageId: 'image-ubuntu-22' };
});

describe('Contabo provider', () => {
  it('adopts an instance: token, read, display name by PATCH, each call with its own UUID x-request-id', async () => {
    const { id, outs } = await provider.create(inputs());
    expect(id).toBe('12345');
    expect(outs).toMatchObject({ ipv4: '203.0.113.10', status: 'running', name: 'vmd12345', currentImageId: 'image-ubuntu-22' });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /auth/token', 'GET /v1/compute/instances/12345', 'PATCH /v1/compute/instances/12345']);
    expect(api.instance.displayName).toBe('bascule-staging');
    for (const call of api.calls) expect(call.requestId).toMatch(UUID);
    expect(new Set(api.calls.map((c) => c.requestId)).size).toBe(api.calls.length);
    expect(api.calls[1]?.authorization).toBe('Bearer token-1');
  });

  it('reads the instance as it is', async () => {
    api.instance.displayName = 'renamed-by-hand';
    const { props } = await provider.read('12345', { ...inputs(), status: '', ipv4: '', name: '', productId: '', region: '', currentImageId: '' });
    expect(props).toMatchObject({ instanceId: 12345, ipv4: '203.0.113.10', region: 'EU', productId: 'V95' });
  });

  it('diffs: a new name is an update, another instance id is a replacement', async () => {
    const olds = (await provider.create(inputs())).outs;
    expect(await provider.diff('12345', olds, inputs())).toMatchObject({ changes: false, replaces: [] });
    expect(await provider.diff('12345', olds, inputs({ displayName: 'x' }))).toMatchObject({ changes: true, replaces: [] });
    expect(await provider.diff('12345', olds, inputs({ instanceId: 99 }))).toMatchObject({ changes: true, replaces: ['instanceId'] });
  });

  it('reinstalls by PUT only when allowed, then polls until the instance runs again', async () => {
    const olds: ContaboInstanceOutputs = (await provider.create(inputs({ imageId: 'image-ubuntu-22' }))).outs;
    await expect(provider.update('12345', olds, inputs({ imageId: 'image-ubuntu-24' }))).rejects.toThrow(/allowReinstall/);
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);

    api.calls.length = 0;
    const { outs } = await provider.update('12345', olds, inputs({ imageId: 'image-ubuntu-24', allowReinstall: true }));
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(JSON.parse(put!.body)).toMatchObject({ imageId: 'image-ubuntu-24' });
    expect(api.calls.filter((c) => c.method === 'GET').length).toBeGreaterThanOrEqual(3);
    expect(outs).toMatchObject({ status: 'running', currentImageId: 'image-ubuntu-24' });
  });

  it('after a reinstall\'s PUT, waits for the status to leave "running" before waiting for "running"', async () => {
    const olds = (await provider.create(inputs({ imageId: 'image-ubuntu-22' }))).outs;
    api.reinstallLag = 2;
    api.statusesSeen.length = 0;
    const { outs } = await provider.update('12345', olds, inputs({ imageId: 'image-ubuntu-24', allowReinstall: true }));
    // The first GETs after the PUT still say "running" (the old system): only the one after "installing" counts.
    expect(api.statusesSeen).toEqual(['running', 'running', 'installing', 'installing', 'running']);
    expect(outs.status).toBe('running');
  });

  it('renews its token when Contabo refuses it (401) and sends the call again', async () => {
    const olds = (await provider.create(inputs({ powerState: 'running' }))).outs;
    api.calls.length = 0;
    api.instance.status = 'stopped';
    // The token expires between the read and the start action.
    const fetchWithExpiry = makeContaboProvider({
      sleep: async () => {},
      pollIntervalMs: 0,
      maxAttempts: 4,
      fetch: async (url, init) => {
        if (String(url).endsWith('/actions/start') && api.calls.filter((c) => c.path.endsWith('/actions/start')).length === 0) api.revokeTokens();
        return fetch(url, init);
      },
    });
    const { outs } = await fetchWithExpiry.update('12345', olds, inputs());
    expect(outs.status).toBe('running');
    const sequence = api.calls.map((c) => `${c.method} ${c.path} ${c.authorization ?? ''}`);
    expect(sequence.filter((c) => c.startsWith('POST /auth/token'))).toHaveLength(2);
    const starts = api.calls.filter((c) => c.path.endsWith('/actions/start'));
    expect(starts.map((c) => c.authorization)).toEqual([starts[0]!.authorization, expect.not.stringMatching(new RegExp(`^${starts[0]!.authorization}$`))]);
  });

  it('renews its token before it expires (300 s) during a long poll', async () => {
    let now = 1_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      // A stop goes through "stopping": one poll interval of 300 s on this clock passes before "stopped".
      const slow = makeContaboProvider({ sleep: async () => void (now += 300_000), pollIntervalMs: 0, maxAttempts: 4 });
      api.calls.length = 0;
      const { outs } = await slow.create(inputs({ powerState: 'stopped' }));
      expect(outs.status).toBe('stopped');
    } finally {
      Date.now = realNow;
    }
    const tokens = api.calls.filter((c) => c.path === '/auth/token');
    expect(tokens).toHaveLength(2);
    const lastGet = api.calls.filter((c) => c.method === 'GET').at(-1)!;
    expect(lastGet.authorization).toBe(`Bearer token-${Number(api.calls.find((c) => c.method === 'GET')!.authorization!.slice(13)) + 1}`);
  });

  it('reads a deleted instance (404) as gone, not as an error', async () => {
    const { props, id } = (await provider.read('99999', { ...inputs({ instanceId: 99999 }), status: '', ipv4: '', name: '', productId: '', region: '', currentImageId: '' })) as { id?: string; props?: unknown };
    expect(id).toBeUndefined();
    expect(props).toBeUndefined();
  });

  it('never sends a reinstall again after a 5xx or a lost answer (it may have run), but retries it after a 429', async () => {
    const olds = (await provider.create(inputs({ imageId: 'image-ubuntu-22' }))).outs;
    let putSeen = 0;
    const failingPut = makeContaboProvider({
      sleep: async () => {},
      pollIntervalMs: 0,
      maxAttempts: 4,
      fetch: async (url, init) => {
        if (init?.method === 'PUT' && putSeen++ === 0) return new Response('{"message":"Bad Gateway"}', { status: 502 });
        return fetch(url, init);
      },
    });
    await expect(failingPut.update('12345', olds, inputs({ imageId: 'image-ubuntu-24', allowReinstall: true }))).rejects.toThrow(/PUT \/v1\/compute\/instances\/12345 answered HTTP 502/);
    expect(putSeen).toBe(1);

    let lost = 0;
    const lostAnswer = makeContaboProvider({
      sleep: async () => {},
      maxAttempts: 4,
      fetch: async (url, init) => {
        if (init?.method === 'POST' && String(url).endsWith('/cancel')) {
          lost++;
          throw new TypeError('fetch failed');
        }
        return fetch(url, init);
      },
    });
    await expect(lostAnswer.delete('12345', { ...olds, allowCancel: true })).rejects.toThrow(/not retried, as it may have run/);
    expect(lost).toBe(1);

    api.calls.length = 0;
    api.failures.length = 0;
    let rateLimited = 0;
    const limited = makeContaboProvider({
      sleep: async () => {},
      pollIntervalMs: 0,
      maxAttempts: 4,
      fetch: async (url, init) => {
        if (init?.method === 'PUT' && rateLimited++ === 0) return new Response('{}', { status: 429, headers: { 'retry-after': '0' } });
        return fetch(url, init);
      },
    });
    const { outs } = await limited.update('12345', olds, inputs({ imageId: 'image-ubuntu-24', allowReinstall: true }));
    expect(rateLimited).toBe(2);
    expect(outs.currentImageId).toBe('image-ubuntu-24');
  });

  it('starts a stopped instance with the start action', async () => {
    api.instance.status = 'stopped';
    const { outs } = await provider.create(inputs());
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /v1/compute/instances/12345/actions/start');
    expect(outs.status).toBe('running');
  });

  it('stops a running instance with the stop action when powerState is "stopped", and leaves a stopped one alone', async () => {
    const { outs } = await provider.create(inputs({ powerState: 'stopped' }));
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /v1/compute/instances/12345/actions/stop');
    expect(api.calls.filter((c) => c.method === 'GET').length).toBeGreaterThanOrEqual(3);
    expect(outs.status).toBe('stopped');

    api.calls.length = 0;
    await provider.update('12345', outs, inputs({ powerState: 'stopped' }));
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.includes('/actions/'))).toEqual([]);
    expect(await provider.diff('12345', outs, inputs({ powerState: 'running' }))).toMatchObject({ changes: true, replaces: [] });

    const { outs: started } = await provider.update('12345', outs, inputs({ powerState: 'running' }));
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /v1/compute/instances/12345/actions/start');
    expect(started.status).toBe('running');
  });

  it('retries a 429 and a 500, each with a fresh x-request-id, then succeeds', async () => {
    api.failures.push(429, 500);
    const { outs } = await provider.create(inputs());
    expect(outs.status).toBe('running');
    const tokenCalls = api.calls.filter((c) => c.path === '/auth/token');
    expect(tokenCalls).toHaveLength(3);
    expect(new Set(tokenCalls.map((c) => c.requestId)).size).toBe(3);
  });

  it('gives up after the last attempt with the status in the message', async () => {
    api.failures.push(503, 503, 503, 503);
    await expect(provider.create(inputs())).rejects.toThrow(/token request failed after 4 attempts: HTTP 503/);
  });

  it('names the credentials when the token is refused', async () => {
    await expect(provider.create(inputs({ credentials: { clientId: 'INT-1', clientSecret: 'wrong', apiUser: 'api@example.org', apiPassword: 'pw' } }))).rejects.toThrow(/clientId and the contabo\* secrets/);
  });

  it('refuses to cancel the instance unless allowCancel is set, and cancels when it is', async () => {
    const outs = (await provider.create(inputs())).outs;
    api.calls.length = 0;
    await expect(provider.delete('12345', outs)).rejects.toThrow(/refusing to cancel Contabo instance 12345/);
    expect(api.calls).toHaveLength(0);
    await provider.delete('12345', { ...outs, allowCancel: true });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /auth/token', 'POST /v1/compute/instances/12345/cancel']);
  });
});

describe('the provider as Pulumi stores it', () => {
  it('still works once closure-serialised: the code in the state uses nothing but globals', async () => {
    const run = await runWithMocks(fixtureConfig('foundation'), FIXTURE_SECRET_KEYS);
    const text = String(run.resources.find((r) => r.name === 'host-contabo')?.inputs.__provider);
    // Load it the way Pulumi's dynamic provider host does: a CommonJS module exporting `handler`.
    const module = { exports: {} as { handler?: () => ContaboProvider } };
    new Function('exports', 'module', 'require', text)(module.exports, module, () => {
      throw new Error('the serialised provider must not require modules');
    });
    const restored = module.exports.handler!();
    const { outs } = await restored.create(inputs({ displayName: 'restored' }));
    expect(outs).toMatchObject({ ipv4: '203.0.113.10', status: 'running' });
    expect(api.instance.displayName).toBe('restored');
    await expect(restored.delete('12345', outs)).rejects.toThrow(/refusing to cancel/);
  }, 120_000);
});
