import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, gpuHostsOf, parseStackConfig, StackConfigError } from '../src/config.ts';
import { readStackFile } from '../src/plan.ts';
import { gatewayConfigFor, renderGatewayConfig } from '../src/gateway-config.ts';
import { fixtureConfig, fixtureHostKey } from '../src/mocks/fixtures.ts';
import { PHASES } from '../src/phases.ts';
import { parseGatewayConfig, PLAN_PRICES } from '@bascule/contracts';
import { join } from 'node:path';
import { readImageManifests } from '../src/image-manifest.ts';
import { REPO_ROOT } from '../src/remote.ts';

// The real manifests of gpu-images/ (or their fallbacks): the gateway must point where the images listen.
const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));

function parse(overrides: Record<string, unknown> = {}, phase: (typeof PHASES)[number] = 'foundation') {
  const values = fixtureConfig(phase, overrides);
  return parseStackConfig((key) => values[`bascule:${key}`]);
}

function problems(overrides: Record<string, unknown>): string[] {
  try {
    parse(overrides);
  } catch (error) {
    if (error instanceof StackConfigError) return [...error.problems].sort();
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('stack config', () => {
  it('accepts the fixture with its defaults applied', () => {
    const config = parse();
    expect(config.host?.contabo).toMatchObject({ instanceId: 202611240, allowCancel: false, allowReinstall: false, apiUrl: 'https://api.contabo.com' });
    expect(config.llm).toMatchObject({ selfHosted: false, contextSize: 8192 });
  });

  it('names the key of each problem', () => {
    expect(problems({ 'bascule:phase': 'production' })).toEqual(['bascule:phase: expected one of foundation, llm, stt, tts, vision']);
    expect(problems({ 'bascule:admin': { sshCidrs: ['everyone'] } })).toEqual(['bascule:admin.sshCidrs[0]: expected a CIDR block such as "198.51.100.7/32"']);
    expect(problems({ 'bascule:dns': undefined })[0]).toMatch(/^bascule:dns: missing/);
    const reach = { sshHostKey: fixtureHostKey(1), privateAddress: '10.77.0.1' };
    expect(problems({ 'bascule:host': { provider: 'contabo', gpu: { model: 'x', vramMb: 1 }, ...reach } })).toEqual([
      'bascule:host.contabo: missing (expected { instanceId, clientId } when provider is "contabo")',
    ]);
    expect(problems({ 'bascule:host': { provider: 'existing', gpu: { model: 'x', vramMb: 1 }, adress: '1.2.3.4', ...reach } })).toEqual([
      'bascule:host.adress: unknown key',
      'bascule:host.address: missing (expected the IPv4 address when provider is "existing")',
    ].sort());
    expect(problems({ 'bascule:cloudflare': { accountId: 'abc', teamDomain: 'bascule.cloudflareaccess.com' } })).toEqual([
      'bascule:cloudflare.accountId: expected the 32-hex-digit Cloudflare account id',
      'bascule:cloudflare.accessEmails: expected at least one e-mail (or accessEmailDomain) allowed to open the dashboard',
    ].sort());
  });

  it('requires a pinned SSH host key in the form ssh-keyscan | cut prints, and a non-root SSH user', () => {
    const host = fixtureConfig('foundation')['bascule:host'] as Record<string, unknown>;
    const { sshHostKey: _key, ...withoutKey } = host;
    expect(problems({ 'bascule:host': withoutKey })).toEqual([`bascule:host.sshHostKey: missing (expected the host's SSH key: ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-)`]);
    // ssh-keyscan's own line starts with the address: the runbook cuts it off.
    expect(problems({ 'bascule:host': { ...host, sshHostKey: `203.0.113.10 ${fixtureHostKey(1)}` } })).toEqual([
      `bascule:host.sshHostKey: expected "<type> <base64>" as printed by: ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-`,
    ]);
    expect(problems({ 'bascule:host': { ...host, sshUser: 'root' } })).toEqual([
      'bascule:host.sshUser: expected a non-root user with sudo (the bootstrap turns root login off); see docs/runbooks/00-first-time-setup.md',
    ]);
    expect(parse({ 'bascule:host': { ...host, sshUser: undefined } }).host?.sshUser).toBe('deploy');
  });

  it('requires two gateway hosts with distinct names and private addresses, and names the database and monitoring hosts among them', () => {
    const gateways = fixtureConfig('foundation')['bascule:gatewayHosts'] as Record<string, unknown>[];
    expect(problems({ 'bascule:gatewayHosts': [gateways[0]] })).toEqual([
      'bascule:database.standby: expected the name of a gateway host (gw-1)',
      'bascule:gatewayHosts: expected at least two gateway hosts (the load balancer needs a second one when one is down)',
      'bascule:monitoring.host: expected the name of a gateway host (gw-1)',
    ]);
    expect(problems({ 'bascule:gatewayHosts': [gateways[0], { ...gateways[1], name: 'gw-1', privateAddress: '10.77.0.1' }] })).toEqual([
      'bascule:gatewayHosts[1].name: "gw-1" is used by two gateway hosts',
      "bascule:gatewayHosts[1].privateAddress: 10.77.0.1 is already another host's",
      'bascule:monitoring.host: expected the name of a gateway host (gw-1, gw-1)',
      'bascule:database.standby: expected the name of a gateway host (gw-1, gw-1)',
    ].sort());
    expect(problems({ 'bascule:gatewayHosts': [gateways[0], { ...gateways[1], privateAddress: '192.168.1.2' }] })).toEqual([
      'bascule:gatewayHosts[1].privateAddress: expected an address of the private network 10.77.0.0/24, e.g. "10.77.0.1"',
    ]);
    expect(problems({ 'bascule:database': { primary: 'gw-1', standby: 'gw-1', backup: { repository: '/var/backups' } } })).toEqual([
      'bascule:database.backup.repository: expected a restic repository off the hosts, e.g. "s3:https://eu2.contabostorage.com/bascule-backups/production"',
      'bascule:database.standby: expected another gateway host than the primary',
    ].sort());
  });

  it('refuses a floating llama.cpp image tag and a power state other than running or stopped', () => {
    expect(parse().llm.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603');
    expect(parse().host?.contabo?.powerState).toBe('running');
    expect(problems({ 'bascule:llm': { selfHosted: true, image: 'ghcr.io/ggml-org/llama.cpp:server-cuda' } })).toEqual([
      'bascule:llm.image: expected an image pinned to a build tag or a digest, e.g. "ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603"',
    ]);
    expect(parse({ 'bascule:llm': { image: `ghcr.io/ggml-org/llama.cpp@sha256:${'a'.repeat(64)}` } }).llm.image).toContain('@sha256:');
    const host = fixtureConfig('foundation')['bascule:host'] as { contabo: object };
    expect(problems({ 'bascule:host': { ...host, contabo: { ...host.contabo, powerState: 'off' } } })).toEqual(['bascule:host.contabo.powerState: expected "running" or "stopped"']);
  });

  it('takes CI-built images pinned by digest only', () => {
    expect(parse().images).toEqual({});
    const pinned = `ghcr.io/example/bascule-whisper@sha256:${'b'.repeat(64)}`;
    expect(parse({ 'bascule:images': { whisper: pinned } }).images.whisper).toBe(pinned);
    expect(problems({ 'bascule:images': { whisper: 'ghcr.io/example/bascule-whisper:latest' } })).toEqual([
      'bascule:images.whisper: expected an image pinned by digest, e.g. "ghcr.io/<owner>/bascule-whisper@sha256:<64 hex>" (the images workflow prints it)',
    ]);
  });

  it('requires the EasyOCR URL from the vision phase on', () => {
    const values = fixtureConfig('vision', { 'bascule:gateway': { vpsMonthlyCostEur: 160 } });
    expect(() => parseStackConfig((key) => values[`bascule:${key}`])).toThrow(/bascule:gateway\.easyocrUrl: missing/);
  });
});

const placement = { privateAddress: '10.77.0.11', accessAudience: 'aud-tag' };

describe('generated gateway config', () => {
  it.each(PHASES)('is valid for the gateway at phase %s and holds no secret value', (phase) => {
    const config = parse({}, phase);
    const { text } = renderGatewayConfig(config, images, placement);
    const parsed = parseGatewayConfig(JSON.parse(text));
    expect(Object.keys(parsed.components)).toEqual(PHASES.slice(1, PHASES.indexOf(phase) + 1));
    expect(text).not.toMatch(/SECRET-/);
    expect(parsed.auth.adminTokenEnv).toBe('BASCULE_ADMIN_TOKEN');
  });

  it('has exactly the keys the gateway reads for Cloudflare Access, its /metrics listener and its PostgreSQL store', () => {
    const file = gatewayConfigFor(parse({}, 'stt'), images, placement);
    expect(file.admin).toMatchObject({ hostnames: ['admin-staging.example.org'], access: { teamDomain: 'bascule.cloudflareaccess.com', audience: 'aud-tag' } });
    expect(file.metrics).toEqual({ host: '10.77.0.11', port: 9464 });
    expect(file.store).toEqual({ databaseUrlEnv: 'BASCULE_DATABASE_URL' });
    // The gateway's own schema reads them all: nothing of the file is left unvalidated.
    const parsed = parseGatewayConfig(file);
    expect(parsed.admin.access).toEqual({ teamDomain: 'bascule.cloudflareaccess.com', audience: 'aud-tag' });
    expect(parsed.metrics).toMatchObject({ host: '10.77.0.11', port: 9464 });
    expect(parsed.store.databaseUrlEnv).toBe('BASCULE_DATABASE_URL');
  });

  it("prices the paid APIs as the plan does (the costs page and the cost criteria read these)", () => {
    const c = parseGatewayConfig(gatewayConfigFor(parse({}, 'vision'), images, placement)).components;
    expect(c.llm?.providers.huggingface?.pricing).toEqual(PLAN_PRICES.huggingface);
    expect(c.llm?.providers.groq?.pricing).toEqual(PLAN_PRICES.groq);
    expect(c.stt?.providers['openai-whisper']?.pricing).toEqual(PLAN_PRICES['openai-whisper']);
    expect(c.vision?.providers.easyocr?.pricing).toEqual(PLAN_PRICES.easyocr);
  });

  it('points the production providers at the GPU host\'s private address', () => {
    const components = parseGatewayConfig(gatewayConfigFor(parse({}, 'vision'), images, placement)).components;
    expect(components.stt?.providers['faster-whisper']?.baseUrl).toBe(`http://10.77.0.1:${images.whisper.port}`);
    expect(components.tts?.providers.coqui?.baseUrl).toBe(`http://10.77.0.1:${images.tts.port}`);
    expect(components.vision?.providers.trocr?.baseUrl).toBe(`http://10.77.0.1:${images.trocr.port}`);
    expect(new Set([images.whisper.port, images.tts.port, images.trocr.port]).size).toBe(3);
    expect(components.vision?.providers.easyocr?.baseUrl).toBe('https://ocr.example.org');
  });

  it("carries the reading app's origins and the expected volume that prices self-hosted requests", () => {
    const gateway = { vpsMonthlyCostEur: 160, allowedOrigins: ['https://lire.example.fr'], expectedMonthlyRequests: 1_130_000 };
    const parsed = parseGatewayConfig(gatewayConfigFor(parse({ 'bascule:gateway': gateway }, 'stt'), images, placement));
    expect(parsed.server.cors.allowedOrigins).toEqual(['https://lire.example.fr']);
    expect(parsed.vps.expectedMonthlyRequests).toBe(1_130_000);
    const closed = parseGatewayConfig(gatewayConfigFor(parse({}, 'stt'), images, placement));
    expect(closed.server.cors.allowedOrigins).toEqual([]);
  });

  it('refuses an origin the gateway would refuse, naming the key', () => {
    expect(problems({ 'bascule:gateway': { vpsMonthlyCostEur: 160, allowedOrigins: ['https://lire.example.fr/app/'] } })).toEqual([
      'bascule:gateway.allowedOrigins[0]: expected an origin such as "https://lire.example.fr" (no path, no trailing slash) or "*"',
    ]);
  });
});

describe('the stack files', () => {
  it.each(['staging', 'production'])('Pulumi.%s.yaml sets every bascule key and is valid at every phase', (stack) => {
    const values = readStackFile(stack);
    // The GPU hosts come in one of two forms: bascule:gpuHosts (a list) or bascule:host (one), not both.
    const gpuForms = ['host', 'gpuHosts'];
    for (const key of CONFIG_KEYS.filter((k) => !gpuForms.includes(k))) expect(values, `bascule:${key}`).toHaveProperty([`bascule:${key}`]);
    expect(gpuForms.filter((k) => values[`bascule:${k}`] !== undefined)).toHaveLength(1);
    for (const phase of PHASES) {
      const config = parseStackConfig((key) => (key === 'phase' ? phase : values[`bascule:${key}`]));
      for (const gpu of gpuHostsOf(config)) expect(gpu.contabo?.allowCancel).toBe(false);
      expect(config.gatewayHosts.length).toBeGreaterThanOrEqual(2);
      expect(config.llm.contextSize).toBeLessThanOrEqual(8192);
    }
  });
});
