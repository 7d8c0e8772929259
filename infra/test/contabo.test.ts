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
