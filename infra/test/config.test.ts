import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, parseStackConfig, StackConfigError } from '../src/config.ts';
import { readStackFile } from '../src/plan.ts';
import { gatewayConfigFor, renderGatewayConfig } from '../src/gateway-config.ts';
import { fixtureConfig } from '../src/mocks/fixtures.ts';
import { PHASES } from '../src/phases.ts';
import { parseGatewayConfig } from '@bascule/contracts';
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
    if (error instanceof StackConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('stack config', () => {
  it('accepts the fixture with its defaults applied', () => {
    const config = parse();
    expect(config.host.contabo).toMatchObject({ instanceId: 202611240, allowCancel: false, allowReinstall: false, apiUrl: 'https://api.contabo.com' });
    expect(config.llm).toMatchObject({ selfHosted: false, contextSize: 8192 });
  });

  it('names the key of each problem', () => {
    expect(problems({ 'bascule:phase': 'production' })).toEqual(['bascule:phase: expected one of foundation, llm, stt, tts, vision']);
    expect(problems({ 'bascule:admin': { sshCidrs: ['everyone'] } })).toEqual(['bascule:admin.sshCidrs[0]: expected a CIDR block such as "198.51.100.7/32"']);
    expect(problems({ 'bascule:dns': undefined })[0]).toMatch(/^bascule:dns: missing/);
    expect(problems({ 'bascule:host': { provider: 'contabo', gpu: { model: 'x', vramMb: 1 } } })).toEqual([
      'bascule:host.contabo: missing (expected { instanceId, clientId } when provider is "contabo")',
    ]);
    expect(problems({ 'bascule:host': { provider: 'existing', gpu: { model: 'x', vramMb: 1 }, adress: '1.2.3.4' } })).toEqual([
      'bascule:host.adress: unknown key',
      'bascule:host.address: missing (expected the IPv4 address when provider is "existing")',
    ]);
    expect(problems({ 'bascule:cloudflare': { accountId: 'abc' } })).toEqual([
      'bascule:cloudflare.accountId: expected the 32-hex-digit Cloudflare account id',
      'bascule:cloudflare.accessEmails: expected at least one e-mail (or accessEmailDomain) allowed to open the dashboard',
    ]);
  });

  it('refuses a floating llama.cpp image tag and a power state other than running or stopped', () => {
    expect(parse().llm.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603');
    expect(parse().host.contabo?.powerState).toBe('running');
    expect(problems({ 'bascule:llm': { selfHosted: true, image: 'ghcr.io/ggml-org/llama.cpp:server-cuda' } })).toEqual([
      'bascule:llm.image: expected an image pinned to a build tag or a digest, e.g. "ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603"',
    ]);
    expect(parse({ 'bascule:llm': { image: `ghcr.io/ggml-org/llama.cpp@sha256:${'a'.repeat(64)}` } }).llm.image).toContain('@sha256:');
    const host = fixtureConfig('foundation')['bascule:host'] as { contabo: object };
    expect(problems({ 'bascule:host': { ...host, contabo: { ...host.contabo, powerState: 'off' } } })).toEqual(['bascule:host.contabo.powerState: expected "running" or "stopped"']);
  });

  it('requires the EasyOCR URL from the vision phase on', () => {
    const values = fixtureConfig('vision', { 'bascule:gateway': { vpsMonthlyCostEur: 160 } });
    expect(() => parseStackConfig((key) => values[`bascule:${key}`])).toThrow(/bascule:gateway\.easyocrUrl: missing/);
  });
});

describe('generated gateway config', () => {
  it.each(PHASES)('is valid for the gateway at phase %s and holds no secret value', (phase) => {
    const config = parse({}, phase);
    const { text } = renderGatewayConfig(config, images);
    const parsed = parseGatewayConfig(JSON.parse(text));
    expect(Object.keys(parsed.components)).toEqual(PHASES.slice(1, PHASES.indexOf(phase) + 1));
    expect(text).not.toMatch(/SECRET-/);
    expect(parsed.auth.adminTokenEnv).toBe('BASCULE_ADMIN_TOKEN');
  });

  it('points the production providers at the services on the internal network', () => {
    const components = parseGatewayConfig(gatewayConfigFor(parse({}, 'vision'), images)).components;
    expect(components.stt?.providers['faster-whisper']?.baseUrl).toBe(`http://bascule-whisper:${images.whisper.port}`);
    expect(components.tts?.providers.coqui?.baseUrl).toBe(`http://bascule-tts:${images.tts.port}`);
    expect(components.vision?.providers.trocr?.baseUrl).toBe(`http://bascule-trocr:${images.trocr.port}`);
    expect(new Set([images.whisper.port, images.tts.port, images.trocr.port]).size).toBe(3);
    expect(components.vision?.providers.easyocr?.baseUrl).toBe('https://ocr.example.org');
  });

  it("carries the reading app's origins and the expected volume that prices self-hosted requests", () => {
    const gateway = { vpsMonthlyCostEur: 160, allowedOrigins: ['https://lire.example.fr'], expectedMonthlyRequests: 1_130_000 };
    const parsed = parseGatewayConfig(gatewayConfigFor(parse({ 'bascule:gateway': gateway }, 'stt'), images));
    expect(parsed.server.cors.allowedOrigins).toEqual(['https://lire.example.fr']);
    expect(parsed.vps.expectedMonthlyRequests).toBe(1_130_000);
    const closed = parseGatewayConfig(gatewayConfigFor(parse({}, 'stt'), images));
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
    for (const key of CONFIG_KEYS) expect(values, `bascule:${key}`).toHaveProperty([`bascule:${key}`]);
    for (const phase of PHASES) {
      const config = parseStackConfig((key) => (key === 'phase' ? phase : values[`bascule:${key}`]));
      expect(config.host.contabo?.allowCancel).toBe(false);
      expect(config.llm.contextSize).toBeLessThanOrEqual(8192);
    }
  });
});
