// One run of the program per phase under Pulumi's mocks; each test asserts what its phase adds and that
// nothing an earlier phase deployed is replaced or changed (except the gateway's config file, updated in place).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { runWithMocks, CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, MOCK_ZONE_ID, type MockRun, type MockedResource } from '../src/mocks/run.ts';
import { FIXTURE_SECRETS, FIXTURE_SECRET_KEYS, fixtureConfig } from '../src/mocks/fixtures.ts';
import { PHASES, type Phase } from '../src/phases.ts';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const runs = {} as Record<Phase, MockRun>;
let selfHostedLlm: MockRun;
let selfHostedStt: MockRun;

beforeAll(async () => {
  for (const phase of PHASES) runs[phase] = await runWithMocks(fixtureConfig(phase), FIXTURE_SECRET_KEYS);
  selfHostedLlm = await runWithMocks(fixtureConfig('llm', { 'bascule:llm': { selfHosted: true } }), FIXTURE_SECRET_KEYS);
  selfHostedStt = await runWithMocks(fixtureConfig('stt', { 'bascule:llm': { selfHosted: true } }), FIXTURE_SECRET_KEYS);
}, 60_000);

const key = (r: MockedResource) => `${r.type}::${r.name}`;
const find = (run: MockRun, name: string) => {
  const found = run.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}: ${run.resources.map((r) => r.name).join(', ')}`);
  return found;
};
const added = (phase: Phase, before: Phase) => {
  const earlier = new Set(runs[before].resources.map(key));
  return runs[phase].resources.filter((r) => !earlier.has(key(r))).map((r) => r.name).sort();
};
/** The value of a (possibly secret-wrapped) input. */
const plain = (value: unknown): unknown => (value !== null && typeof value === 'object' && SECRET_SIG in value ? (value as unknown as { value: unknown }).value : value);
const isSecret = (value: unknown) => value !== null && typeof value === 'object' && SECRET_SIG in value;
const gatewayConfigOf = (run: MockRun) => parseGatewayConfig(JSON.parse(String(plain(find(run, 'gateway-config').inputs.stdin))));

/** Resources of `before` must be in `after` with the same inputs; only the gateway config may change. */
function expectNothingReplaced(before: Phase | MockRun, after: Phase | MockRun): void {
  const [earlier, later] = [before, after].map((r) => (typeof r === 'string' ? runs[r] : r)) as [MockRun, MockRun];
  const byKey = new Map(later.resources.map((r) => [key(r), r]));
  for (const resource of earlier.resources) {
    const same = byKey.get(key(resource));
    expect(same, `${key(resource)} is missing in the later phase`).toBeDefined();
    if (resource.name === 'gateway-config') {
      // Only its stdin (the file) changes, never `create` or `triggers`: @pulumi/command then updates the
      // resource in place (runs `create` again), where a changed trigger would replace it.
      const { stdin: _before, ...rest } = resource.inputs;
      const { stdin: _after, ...restLater } = same!.inputs;
      expect(JSON.stringify(restLater)).toBe(JSON.stringify(rest));
      expect(resource.inputs.triggers).toBeUndefined();
      continue;
    }
    expect(JSON.stringify(same!.inputs), `${key(resource)} changed in the later phase`).toBe(JSON.stringify(resource.inputs));
  }
}

function unitOf(run: MockRun, name: string): string {
  return String(plain(find(run, `${name}-unit`).inputs.stdin));
}

describe('phase foundation', () => {
  it('adopts the Contabo instance with a serialised provider that keeps its credentials secret', () => {
    const instance = find(runs.foundation, 'host-contabo');
    // The provider's code travels in the state (closure serialisation) and carries the delete guard.
    expect(String(instance.inputs.__provider)).toContain('refusing to cancel Contabo instance');
    expect(instance.type).toBe('pulumi-nodejs:dynamic/contabo:Instance');
    expect(instance.inputs.instanceId).toBe(202611240);
    expect(instance.inputs.allowCancel).toBe(false);
    expect(isSecret(instance.inputs.credentials)).toBe(true);
  });

  it('bootstraps in order and opens 443 to Cloudflare only and 22 to the admins only', () => {
    for (const step of ['nvidia', 'docker', 'firewall', 'hardening']) expect(find(runs.foundation, `bootstrap-${step}`).type).toBe('command:remote:Command');
    const firewall = String(find(runs.foundation, 'bootstrap-firewall').inputs.create);
    expect(firewall).toContain('30-firewall.sh');
    expect(firewall).toContain(`'198.51.100.7/32 2001:db8::/64'`);
    expect(firewall).toContain(`'${CLOUDFLARE_IPV4.join(' ')}'`);
    expect(firewall).toContain(`'${CLOUDFLARE_IPV6.join(' ')}'`);
    expect(find(runs.foundation, 'bootstrap-docker').inputs.create).toContain('20-docker.sh');
    expect(find(runs.foundation, 'bootstrap-hardening').inputs.create).toMatch(/40-hardening\.sh 'bascule' '10001:10001' 'root'/);
  });

  it('creates the shared model cache volume, kept on delete, and gives it to the models\' user', () => {
    expect(find(runs.foundation, 'bootstrap-model-cache').inputs).toMatchObject({ name: 'bascule-models' });
    expect(String(find(runs.foundation, 'bootstrap-model-cache-owner').inputs.create)).toMatch(/50-model-cache\.sh 'bascule-models' '10001:10001'/);
    expect(find(runs.foundation, 'bootstrap-network').inputs).toMatchObject({ name: 'bascule', driver: 'bridge' });
  });

  it('puts proxied DNS records, strict TLS, TLS 1.2 minimum and always-HTTPS on the zone', () => {
    for (const id of ['gateway', 'dashboard']) {
      const record = find(runs.foundation, `edge-dns-${id}`).inputs;
      expect(record).toMatchObject({ type: 'A', proxied: true, content: '203.0.113.10', zoneId: MOCK_ZONE_ID });
    }
    expect(find(runs.foundation, 'edge-setting-ssl').inputs).toMatchObject({ settingId: 'ssl', value: 'strict' });
    expect(find(runs.foundation, 'edge-setting-min_tls_version').inputs).toMatchObject({ settingId: 'min_tls_version', value: '1.2' });
    expect(find(runs.foundation, 'edge-setting-always_use_https').inputs).toMatchObject({ settingId: 'always_use_https', value: 'on' });
    expect(find(runs.foundation, 'edge-origin-cert').inputs).toMatchObject({ requestType: 'origin-ecc', hostnames: ['api-staging.example.org', 'dashboard-staging.example.org'] });
  });

  it('installs the Origin CA certificate and its key on the host, where the TLS proxy serves TLS 1.2+ on 443', () => {
    const cert = find(runs.foundation, 'gateway-origin-cert').inputs;
    expect(plain(cert.stdin)).toBe('mock-origin-certificate-pem');
    expect(String(cert.create)).toContain(`'/etc/bascule/origin.pem' '0644'`);
    expect(String(find(runs.foundation, 'gateway-origin-key').inputs.create)).toContain(`'/etc/bascule/origin.key' '0640'`);
    expect(find(runs.foundation, 'edge-origin-csr').inputs).toMatchObject({ dnsNames: ['api-staging.example.org', 'dashboard-staging.example.org'] });
    const nginx = String(plain(find(runs.foundation, 'gateway-proxy-config').inputs.stdin));
    expect(nginx).toContain('listen 443 ssl;');
    expect(nginx).toContain('ssl_certificate /etc/bascule/origin.pem;');
    expect(nginx).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(nginx).toContain('proxy_pass http://127.0.0.1:8080;');
    // The dashboard host's root leads to the dashboard the gateway serves; unknown names get no TLS at all.
    const dashboardServer = nginx.slice(nginx.indexOf('server_name dashboard-staging.example.org;'));
    expect(dashboardServer.slice(0, dashboardServer.indexOf('proxy_pass'))).toContain('location = / { return 302 /dashboard/; }');
    expect(nginx.slice(nginx.indexOf('server_name api-staging.example.org;'), nginx.indexOf('server_name dashboard-staging'))).not.toContain('return 302');
    expect(nginx).toMatch(/listen 443 ssl default_server;\s+listen \[::\]:443 ssl default_server;\s+ssl_reject_handshake on;/);
  });

  it('puts the dashboard behind Cloudflare Access for the listed operators', () => {
    expect(find(runs.foundation, 'edge-dashboard-access').inputs).toMatchObject({ type: 'self_hosted', domain: 'dashboard-staging.example.org' });
    expect(find(runs.foundation, 'edge-dashboard-policy').inputs).toMatchObject({ decision: 'allow', includes: [{ email: { email: 'ops@example.org' } }] });
  });

  it('runs the gateway and the TLS proxy under systemd, restarting always, on 127.0.0.1 only', () => {
    const gateway = unitOf(runs.foundation, 'gateway-app');
    expect(gateway).toContain('Restart=always');
    expect(gateway).toContain('WantedBy=multi-user.target');
    expect(gateway).toContain('--log-driver journald');
    expect(gateway).toContain('-p 127.0.0.1:8080:8080');
    expect(gateway).not.toContain('--gpus');
    // The host's bascule user (fixed ids): it can read the 0640 root:bascule config and write its data.
    expect(gateway).toContain('--user 10001:10001');
    expect(gateway).toContain('User=bascule');
    expect(String(find(runs.foundation, 'gateway-config').inputs.create)).toContain(`'/etc/bascule/gateway.json' '0640' 'bascule'`);
    expect(unitOf(runs.foundation, 'gateway-proxy')).toContain('--network host');
    expect(gatewayConfigOf(runs.foundation).components).toEqual({});
  });

  it('keeps every secret out of the state in plain text', () => {
    for (const phase of PHASES) {
      const leaks: string[] = [];
      const walk = (value: unknown, path: string) => {
        if (isSecret(value)) return;
        if (typeof value === 'string') {
          for (const [name, secret] of Object.entries(FIXTURE_SECRETS)) if (value.includes(secret)) leaks.push(`${path} holds ${name}`);
        } else if (value !== null && typeof value === 'object') {
          for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
        }
      };
      for (const resource of runs[phase].resources) walk(resource.inputs, resource.name);
      expect(leaks, `phase ${phase}`).toEqual([]);
    }
    for (const phase of PHASES) expect(JSON.stringify(runs[phase].outputs)).not.toMatch(/SECRET-/);
    expect(isSecret(find(runs.foundation, 'gateway-env').inputs.stdin)).toBe(true);
    expect(isSecret(find(runs.foundation, 'gateway-origin-key').inputs.stdin)).toBe(true);
  });
});

describe('phase llm', () => {
  it('adds no host resource with Groq; routes llm through the gateway to Groq', () => {
    expect(added('llm', 'foundation')).toEqual([]);
    const llm = gatewayConfigOf(runs.llm).components.llm;
    expect(llm?.production).toBe('groq');
    expect(llm?.providers.groq?.apiKeyEnv).toBe('GROQ_API_KEY');
    expectNothingReplaced('foundation', 'llm');
  });

  it('adds llama.cpp on the GPU when llm.selfHosted is set', () => {
    const earlier = new Set(runs.foundation.resources.map(key));
    expect(selfHostedLlm.resources.filter((r) => !earlier.has(key(r))).map((r) => r.name).sort()).toEqual(['model-llama', 'model-llama-image', 'model-llama-unit']);
    const unit = unitOf(selfHostedLlm, 'model-llama');
    expect(unit).toContain('--gpus all');
    expect(unit).toContain('--ctx-size 8192');
    expect(unit).toContain('-hf bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M');
    // Pinned to one build, pulled as such; non-root like the other model images; a health check on /health.
    expect(find(selfHostedLlm, 'model-llama-image').inputs).toMatchObject({ name: 'ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603' });
    expect(unit).toMatch(/ghcr\.io\/ggml-org\/llama\.cpp@sha256:[0-9a-f]{64} /);
    expect(unit).toContain('--user 10001:10001');
    expect(unit).toMatch(/--health-cmd "curl -fsS http:\/\/127\.0\.0\.1:8080\/health"/);
    expect(unit).toContain('--network bascule');
    expect(unit).not.toMatch(/ -p /);
    expect(gatewayConfigOf(selfHostedLlm).components.llm?.providers['vps-llm']?.baseUrl).toBe('http://bascule-llama:8080/v1');
    expectNothingReplaced('foundation', selfHostedLlm);
  });

  it('keeps llama.cpp untouched when the next phase (stt) adds whisper next to it', () => {
    expectNothingReplaced(selfHostedLlm, selfHostedStt);
    const earlier = new Set(selfHostedLlm.resources.map(key));
    expect(selfHostedStt.resources.filter((r) => !earlier.has(key(r))).map((r) => r.name).sort()).toEqual(['model-whisper', 'model-whisper-image', 'model-whisper-unit']);
    expect(selfHostedStt.outputs.modelServices).toEqual(['llama', 'whisper']);
  });
});

describe.each([
  ['stt', 'llm', 'whisper', 'faster-whisper'],
  ['tts', 'stt', 'tts', 'coqui'],
  ['vision', 'tts', 'trocr', 'trocr'],
] as const)('phase %s', (phase, before, image, provider) => {
  it(`adds only the ${image} service, with GPU access, a model cache and a restart policy`, () => {
    expect(added(phase, before)).toEqual([`model-${image}`, `model-${image}-image`, `model-${image}-unit`].sort());
    const unit = unitOf(runs[phase], `model-${image}`);
    expect(unit).toContain('--gpus all');
    expect(unit).toMatch(/-v bascule-models:\/models\b/);
    expect(unit).toContain('--network bascule');
    expect(unit).toContain('Restart=always');
    expect(unit).toContain('--health-cmd');
    expect(unit).toContain('--user 10001:10001');
    expect(unit).toContain('--health-start-period 900s');
    expect(unit).not.toMatch(/-p (?!127\.0\.0\.1)/);
    expect(unit).toContain(`/health`);
    expect(find(runs[phase], `model-${image}-image`).inputs).toMatchObject({ skipPush: true, imageName: `bascule/${image}:local` });
  });

  it(`replaces nothing of ${before} and routes ${phase} to ${provider}`, () => {
    expectNothingReplaced(before, phase);
    const config = gatewayConfigOf(runs[phase]);
    expect(config.components[phase]?.production).toBe(provider);
    expect(Object.keys(config.components)).toEqual(PHASES.slice(1, PHASES.indexOf(phase) + 1));
  });
});

it('uses an existing host by address, without Contabo and without its secrets', async () => {
  const secrets = FIXTURE_SECRET_KEYS.filter((k) => !k.includes('contabo'));
  const config = Object.fromEntries(Object.entries(fixtureConfig('foundation')).filter(([k]) => !k.includes('contabo')));
  config['bascule:host'] = { provider: 'existing', address: '198.51.100.20', sshUser: 'deploy', gpu: { model: 'L4', vramMb: 24_576 } };
  const run = await runWithMocks(config, secrets);
  expect(run.resources.some((r) => r.name === 'host-contabo')).toBe(false);
  expect(find(run, 'edge-dns-gateway').inputs.content).toBe('198.51.100.20');
  expect(String(find(run, 'bootstrap-firewall').inputs.create)).toMatch(/^sudo -n bash /);
  // The SSH user joins the docker group: the Docker provider reaches the engine as that user.
  expect(String(find(run, 'bootstrap-hardening').inputs.create)).toMatch(/40-hardening\.sh 'bascule' '10001:10001' 'deploy'/);
});

describe('a rebuilt image', () => {
  it('changes the unit of its service (run by digest), so `pulumi up` restarts it; an unchanged build changes nothing', async () => {
    const rebuilt = await runWithMocks(fixtureConfig('stt'), FIXTURE_SECRET_KEYS, 'staging', { sourceRevision: 'r2' });
    const same = await runWithMocks(fixtureConfig('stt'), FIXTURE_SECRET_KEYS, 'staging');
    for (const service of ['gateway-app', 'model-whisper']) {
      const before = unitOf(runs.stt, service);
      expect(before, service).toMatch(/ sha256:[0-9a-f]{64}\b/);
      expect(unitOf(rebuilt, service), service).not.toBe(before);
      expect(unitOf(same, service), service).toBe(before);
    }
  });
});

it('names the phase, the address and the next checklist in the outputs', () => {
  expect(runs.stt.outputs).toMatchObject({ phase: 'stt', hostAddress: '203.0.113.10', nextPhase: 'tts', modelServices: ['whisper'], gatewayUrl: 'https://api-staging.example.org' });
  expect(runs.vision.outputs.nextPhase).toBe('none');
  for (const phase of PHASES) {
    const checklist = runs[phase].outputs.nextPhaseChecklist as string[];
    expect(checklist.length, phase).toBeGreaterThan(0);
    const next = runs[phase].outputs.nextPhase;
    if (next !== 'none') expect(checklist.join('\n'), phase).toContain(`pulumi config set bascule:phase ${String(next)}`);
  }
  expect(runs.foundation.outputs).toMatchObject({ dashboardUrl: 'https://dashboard-staging.example.org/dashboard/', components: [], modelServices: [] });
  expect(runs.vision.outputs.components).toEqual(['llm', 'stt', 'tts', 'vision']);
  expect(runs.vision.outputs.modelEndpoints).toEqual({ whisper: 'http://bascule-whisper:8001', tts: 'http://bascule-tts:8002', trocr: 'http://bascule-trocr:8003' });
  expect(selfHostedStt.outputs.modelEndpoints).toEqual({ llama: 'http://bascule-llama:8080', whisper: 'http://bascule-whisper:8001' });
});

it('fails the run, before any resource, with the budget message when the models do not fit the card', async () => {
  const small = fixtureConfig('vision', {
    'bascule:llm': { selfHosted: true },
    'bascule:host': { ...(fixtureConfig('vision')['bascule:host'] as object), gpu: { model: 'RTX 4000 (8 GB)', vramMb: 8_192 } },
  });
  await expect(runWithMocks(small, FIXTURE_SECRET_KEYS)).rejects.toThrow(/GPU memory budget exceeded: the models need \d+ MB, the card has 8192 MB[\s\S]*llama: 6656 MB[\s\S]*bascule:llm\.selfHosted false/);
});
