// Several GPU hosts (bascule:gpuHosts): the config's rules, then the program under Pulumi's mocks. The one-host
// form (bascule:host) and a list of one must deploy the same resources under the same names (URNs), so that an
// existing stack keeps its host; a second host adds its own copy of each resource and its URL to the gateways.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { gpuHostsOf, parseStackConfig, StackConfigError } from '../src/config.ts';
import { runWithMocks, type MockRun, type MockedResource } from '../src/mocks/run.ts';
import { FIXTURE_SECRET_KEYS, fixtureConfig, fixtureHostKey } from '../src/mocks/fixtures.ts';
import type { Phase } from '../src/phases.ts';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const plain = (value: unknown): unknown => (value !== null && typeof value === 'object' && SECRET_SIG in value ? (value as unknown as { value: unknown }).value : value);

const firstHost = () => ({ name: 'gpu', ...(fixtureConfig('foundation')['bascule:host'] as Record<string, unknown>) });
const secondHost = (extra: Record<string, unknown> = {}) => ({
  name: 'gpu-2',
  provider: 'contabo',
  sshHostKey: fixtureHostKey(2),
  privateAddress: '10.77.0.2',
  contabo: { instanceId: 202611241, displayName: 'bascule-staging-gpu-2', clientId: 'INT-12345678' },
  gpu: { model: 'NVIDIA RTX 4000 SFF Ada', vramMb: 20_480 },
  ...extra,
});
/** The contabo mock gives instance 202611241 this address. */
const SECOND_ADDRESS = '203.0.113.51';

/** The fixture with `bascule:gpuHosts` instead of `bascule:host`. */
function withGpuHosts(phase: Phase, hosts: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { 'bascule:host': _one, ...rest } = fixtureConfig(phase, overrides);
  return { ...rest, 'bascule:gpuHosts': hosts };
}

function problems(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig((key) => values[`bascule:${key}`]);
  } catch (error) {
    if (error instanceof StackConfigError) return [...error.problems].sort();
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('bascule:gpuHosts', () => {
  it('reads the one-host form as a list of one named "gpu", and a list as it is', () => {
    const one = fixtureConfig('stt');
    expect(gpuHostsOf(parseStackConfig((key) => one[`bascule:${key}`])).map((h) => [h.name, h.privateAddress])).toEqual([['gpu', '10.77.0.1']]);
    const two = withGpuHosts('stt', [firstHost(), secondHost({ models: ['whisper'] })]);
    const hosts = gpuHostsOf(parseStackConfig((key) => two[`bascule:${key}`]));
    expect(hosts.map((h) => [h.name, h.privateAddress, h.models])).toEqual([['gpu', '10.77.0.1', undefined], ['gpu-2', '10.77.0.2', ['whisper']]]);
  });

  it('refuses both forms at once, or neither, naming the key', () => {
    expect(problems({ ...fixtureConfig('foundation'), 'bascule:gpuHosts': [firstHost()] })).toEqual(['bascule:host: set either bascule:host (one GPU host) or bascule:gpuHosts (a list), not both']);
    const { 'bascule:host': _one, ...none } = fixtureConfig('foundation');
    expect(problems(none)).toEqual(['bascule:gpuHosts: missing (expected a list of GPU hosts, or bascule:host for a single one)']);
    expect(problems(withGpuHosts('foundation', []))).toEqual(['bascule:gpuHosts: expected at least one GPU host']);
    expect(problems(withGpuHosts('foundation', firstHost() as unknown as unknown[]))).toEqual(['bascule:gpuHosts: expected a list of GPU hosts, e.g. [{ name: "gpu", provider: "contabo", ... }]']);
  });

  it('names the entry and the field of a bad host', () => {
    const { name: _name, ...nameless } = secondHost();
    expect(problems(withGpuHosts('foundation', [firstHost(), nameless]))).toEqual(['bascule:gpuHosts[1].name: missing (expected string, received undefined)']);
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ name: 'GPU 2', gpu: { model: 'x' } })]))).toEqual([
      'bascule:gpuHosts[1].gpu.vramMb: missing (expected the VRAM of the card in MB, e.g. 20480)',
      'bascule:gpuHosts[1].name: expected a short name such as "gpu-2" (a-z, 0-9, -)',
    ]);
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ sshPort: '22' })]))).toEqual(['bascule:gpuHosts[1].sshPort: expected number, received string']);
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ models: ['whisper', 'bark'] })]))).toEqual([
      'bascule:gpuHosts[1].models[1]: expected model services among whisper, tts, trocr, llama',
    ]);
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ provider: 'contabo', contabo: undefined })]))).toEqual([
      'bascule:gpuHosts[1].contabo: missing (expected { instanceId, clientId } when provider is "contabo")',
    ]);
  });

  it('refuses a name or a private address another host has, and a later host named like the first one\'s resources', () => {
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ name: 'gw-1', privateAddress: '10.77.0.1' })]))).toEqual([
      'bascule:gpuHosts[1].name: "gw-1" is already another host\'s name',
      "bascule:gpuHosts[1].privateAddress: 10.77.0.1 is already another host's",
    ]);
    expect(problems(withGpuHosts('foundation', [secondHost({ name: 'big' }), secondHost({ name: 'gpu', privateAddress: '10.77.0.3' })]))).toEqual([
      'bascule:gpuHosts[1].name: "gpu" names other resources of the stack; choose another, e.g. "gpu-2"',
    ]);
    expect(problems(withGpuHosts('foundation', [firstHost(), secondHost({ privateAddress: '10.77.0.11' })]))).toEqual([
      "bascule:gatewayHosts[0].privateAddress: 10.77.0.11 is already another host's",
    ]);
  });

  it('refuses a phase whose model service no host runs, and llama on a host while the llm is not self-hosted', () => {
    const placed = (phase: Phase, models: string[][], overrides: Record<string, unknown> = {}) =>
      problems(withGpuHosts(phase, [{ ...firstHost(), models: models[0] }, secondHost({ models: models[1] })], overrides));
    expect(placed('tts', [['whisper'], ['whisper']])).toEqual(['bascule:gpuHosts: no GPU host runs tts, which phase tts deploys (add it to a host\'s models, or leave models out)']);
    expect(placed('stt', [['whisper'], ['llama']])).toEqual(['bascule:gpuHosts[1].models: llama runs only when bascule:llm.selfHosted is true']);
    // A service of a later phase may be placed already: it is deployed when its phase comes.
    expect(() => parseStackConfig((key) => withGpuHosts('stt', [{ ...firstHost(), models: ['whisper'] }, secondHost({ models: ['trocr'] })])[`bascule:${key}`])).not.toThrow();
  });

  it('refuses a parallelSlots that is not a whole number for a model service', () => {
    const gateway = fixtureConfig('foundation')['bascule:gateway'] as Record<string, unknown>;
    expect(problems(fixtureConfig('foundation', { 'bascule:gateway': { ...gateway, parallelSlots: { whisper: 0, bark: 2 } } }))).toEqual([
      'bascule:gateway.parallelSlots.bark: unknown key',
      'bascule:gateway.parallelSlots.whisper: expected a whole number of requests a host computes at once',
    ]);
  });
});

const gatewayConfigOf = (run: MockRun) => parseGatewayConfig(JSON.parse(String(plain(run.resources.find((r) => r.name === 'gw-1-gateway-config')!.inputs.stdin))));
const onGpuNode = (r: MockedResource) => r.engineUrn.includes('bascule:infra:GpuNode');
const byName = (run: MockRun) => new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r]));

describe('the program with several GPU hosts', () => {
  let oneHost: MockRun;
  let listOfOne: MockRun;
  let twoHosts: MockRun;
  let placed: MockRun;

  beforeAll(async () => {
    oneHost = await runWithMocks(fixtureConfig('stt'), FIXTURE_SECRET_KEYS);
    listOfOne = await runWithMocks(withGpuHosts('stt', [firstHost()]), FIXTURE_SECRET_KEYS);
    const gateway = { ...(fixtureConfig('stt')['bascule:gateway'] as object), parallelSlots: { whisper: 2 } };
    twoHosts = await runWithMocks(withGpuHosts('stt', [firstHost(), secondHost()], { 'bascule:gateway': gateway }), FIXTURE_SECRET_KEYS);
    placed = await runWithMocks(withGpuHosts('vision', [firstHost(), secondHost({ models: ['whisper'] })]), FIXTURE_SECRET_KEYS);
  }, 240_000);

  it('deploys a list of one exactly as the one-host form: same names, URNs, aliases and inputs', () => {
    expect(listOfOne.resources.map((r) => r.engineUrn).sort()).toEqual(oneHost.resources.map((r) => r.engineUrn).sort());
    const before = byName(oneHost);
    for (const r of listOfOne.resources) {
      const same = before.get(`${r.type}::${r.name}`)!;
      expect(JSON.stringify(r.inputs), r.name).toBe(JSON.stringify(same.inputs));
      expect(r.aliases, r.name).toEqual(same.aliases);
    }
  });

  it('gives the second host its own copy of each GPU host resource, and leaves the first host\'s names and URNs as they were', () => {
    const first = oneHost.resources.filter(onGpuNode);
    const all = twoHosts.resources.filter(onGpuNode);
    expect(all).toHaveLength(2 * first.length);
    const urns = new Set(all.map((r) => r.engineUrn));
    for (const r of first) expect(urns.has(r.engineUrn), r.engineUrn).toBe(true);
    const names = new Set(all.map((r) => r.name));
    // The first host's exporters are named after its component ("gpu-"); everything else takes the host's name.
    const counterpart = (name: string) => (name === 'gpu' ? 'gpu-2' : name.startsWith('gpu-') ? name.replace(/^gpu-/, 'gpu-2-') : `gpu-2-${name}`);
    for (const r of first) expect(names.has(counterpart(r.name)), counterpart(r.name)).toBe(true);
    const instance = twoHosts.resources.find((r) => r.name === 'gpu-2-host-contabo')!;
    expect(instance.inputs).toMatchObject({ instanceId: 202611241, allowCancel: false });
    expect(instance.aliases).toEqual([]);
    // The second host's model services publish on its own private address.
    expect(String(plain(twoHosts.resources.find((r) => r.name === 'gpu-2-model-whisper-unit')!.inputs.stdin))).toContain('10.77.0.2:8001:8001');
    expect(twoHosts.outputs.gpuHostAddresses).toEqual({ gpu: '203.0.113.10', 'gpu-2': SECOND_ADDRESS });
  });

  it('lists every host running a model in its provider\'s baseUrls, with the stack\'s parallelSlots', () => {
    const whisper = gatewayConfigOf(twoHosts).components.stt!.providers['faster-whisper']!;
    expect(whisper.baseUrls).toEqual(['http://10.77.0.1:8001', 'http://10.77.0.2:8001']);
    expect(whisper.baseUrl).toBeUndefined();
    expect(whisper.parallelSlots).toBe(2);
    expect(twoHosts.outputs.modelEndpoints).toEqual({ whisper: ['http://10.77.0.1:8001', 'http://10.77.0.2:8001'] });
    // One host: baseUrl, as the file was before several hosts; no parallelSlots unless the stack sets it.
    const single = gatewayConfigOf(oneHost).components.stt!.providers['faster-whisper']!;
    expect(single.baseUrl).toBe('http://10.77.0.1:8001');
    expect(single.parallelSlots).toBeUndefined();
  });

  it('places each model service on the hosts that list it, and routes to those only', () => {
    const units = placed.resources.filter((r) => /model-\w+-unit$/.test(r.name)).map((r) => r.name).sort();
    expect(units).toEqual(['gpu-2-model-whisper-unit', 'model-trocr-unit', 'model-tts-unit', 'model-whisper-unit']);
    const components = gatewayConfigOf(placed).components;
    expect(components.stt!.providers['faster-whisper']!.baseUrls).toEqual(['http://10.77.0.1:8001', 'http://10.77.0.2:8001']);
    expect(components.tts!.providers.coqui!.baseUrl).toBe('http://10.77.0.1:8002');
    expect(components.vision!.providers.trocr!.baseUrl).toBe('http://10.77.0.1:8003');
    const budgets = placed.outputs.gpuBudgets as Record<string, { models: string[] }>;
    expect(budgets['gpu-2']!.models.map((m) => m.split(':')[0])).toEqual(['whisper']);
    expect(budgets.gpu!.models).toHaveLength(3);
  });

  it('checks each host\'s GPU budget against the models it runs, and names the host that does not fit', async () => {
    const small = { model: 'RTX 4000 (8 GB)', vramMb: 8_192 };
    const llm = { 'bascule:llm': { selfHosted: true } };
    // llama alone fits the small card; the first host, with every model, has the large one.
    await expect(runWithMocks(withGpuHosts('vision', [firstHost(), secondHost({ gpu: small, models: ['llama'] })], llm), FIXTURE_SECRET_KEYS)).resolves.toBeDefined();
    await expect(runWithMocks(withGpuHosts('vision', [firstHost(), secondHost({ gpu: small })], llm), FIXTURE_SECRET_KEYS)).rejects.toThrow(
      /GPU memory budget exceeded on GPU host gpu-2: the models need \d+ MB, the card has 8192 MB/,
    );
  });

  it('joins the second host to the private network and to the monitoring, and waits for its models before the gateways route', () => {
    const gwPeers = String(plain(twoHosts.resources.find((r) => r.name === 'gw-1-bootstrap-wireguard')!.inputs.stdin));
    expect(gwPeers).toContain(`Endpoint = ${SECOND_ADDRESS}:51820\nAllowedIPs = 10.77.0.2/32`);
    const gpuPeers = String(plain(twoHosts.resources.find((r) => r.name === 'bootstrap-wireguard')!.inputs.stdin));
    expect(gpuPeers).toContain('AllowedIPs = 10.77.0.2/32');
    const prometheus = JSON.parse(String(plain(twoHosts.resources.find((r) => r.name === 'monitoring-prometheus-config')!.inputs.stdin))) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: { instance: string } }[] }[];
    };
    const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name)!.static_configs.map((s) => `${s.labels.instance}=${s.targets[0]}`);
    expect(job('gpu')).toEqual(['gpu=10.77.0.1:9400', 'gpu-2=10.77.0.2:9400']);
    expect(job('models')).toEqual(['whisper@gpu=10.77.0.1:8001', 'whisper@gpu-2=10.77.0.2:8001']);
    expect(job('node')).toContain('gpu-2=10.77.0.2:9100');
    const restart = twoHosts.resources.find((r) => r.name === 'gw-1-gateway-restart')!;
    const ready = twoHosts.resources.find((r) => r.name === 'gpu-2-model-whisper-ready')!;
    expect(restart.dependencies.some((d) => d.endsWith('::gpu-2-model-whisper-ready'))).toBe(true);
    expect(ready.engineUrn).toContain('bascule:infra:GpuNode$command:remote:Command::gpu-2-model-whisper-ready');
  });
});
