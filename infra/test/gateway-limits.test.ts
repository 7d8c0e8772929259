// The rate limits each stack hands to its gateways: carried into the generated config, counted per client
// address behind Cloudflare, and sized for the plan's peak (1 000 simultaneous students at about 25 requests a
// minute) even with one gateway of several down.
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { join } from 'node:path';
import { parseStackConfig } from '../src/config.ts';
import { gatewayConfigFor } from '../src/gateway-config.ts';
import { readImageManifests } from '../src/image-manifest.ts';
import { readStackFile } from '../src/plan.ts';
import { REPO_ROOT } from '../src/remote.ts';

const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));
const PLAN_PEAK_PER_MINUTE = 1_000 * 25;

function generated(stack: string) {
  const values = readStackFile(stack);
  const config = parseStackConfig((key) => values[`bascule:${key}`]);
  return { stack: config.gateway, hosts: config.gatewayHosts.length, gateway: parseGatewayConfig(gatewayConfigFor(config, images, { privateAddress: '10.77.0.11', accessAudience: 'aud-tag' })) };
}

describe('rate limits in the generated gateway config', () => {
  it.each(['staging', 'production'])('%s: carries every limit and the number of gateway hosts as the replica count, and counts addresses by CF-Connecting-IP', (name) => {
    const { stack, hosts, gateway } = generated(name);
    expect(gateway.auth).toMatchObject({ rateLimitPerMinute: stack.rateLimitPerMinute, studentRateLimitPerMinute: stack.studentRateLimitPerMinute, failedAuthPerMinute: stack.failedAuthPerMinute });
    expect(gateway.admin.rateLimitPerMinute).toBe(stack.adminRateLimitPerMinute);
    expect(gateway.server).toMatchObject({ replicas: hosts, clientAddressHeader: 'cf-connecting-ip' });
  });

  it("production: the gateways left when one is down still carry the plan's peak", () => {
    const { gateway } = generated('production');
    const { replicas } = gateway.server;
    const carried = replicas === 1 ? gateway.auth.rateLimitPerMinute : (gateway.auth.rateLimitPerMinute * (replicas - 1)) / replicas;
    expect(carried).toBeGreaterThanOrEqual(PLAN_PEAK_PER_MINUTE);
    // A student at their peak (about 25 a minute) stays under their limit on the gateways left.
    expect(replicas === 1 ? gateway.auth.studentRateLimitPerMinute : Math.ceil(gateway.auth.studentRateLimitPerMinute / replicas)).toBeGreaterThanOrEqual(25);
  });
});

describe('shadow comparison in the generated gateway config', () => {
  it('carries a component’s shadow settings once its phase is reached, and leaves it off otherwise', () => {
    const values = readStackFile('staging');
    const read = (key: string) => (key === 'phase' ? 'stt' : key === 'gateway' ? { ...(values['bascule:gateway'] as object), shadow: { stt: { enabled: true, sampleRate: 0.2 } } } : values[`bascule:${key}`]);
    const config = parseStackConfig(read);
    const gateway = parseGatewayConfig(gatewayConfigFor(config, images, { privateAddress: '10.77.0.11', accessAudience: 'aud-tag' }));
    expect(gateway.components.stt!.shadow).toEqual({ enabled: true, sampleRate: 0.2, maxPerMinute: 60, maxConcurrent: 4, timeoutMs: 10_000 });
    expect(gateway.components.llm!.shadow.enabled).toBe(false);
    expect(gateway.components.tts).toBeUndefined();
  });

  it('names the bad key of a stack’s shadow settings', () => {
    const values = readStackFile('staging');
    const read = (key: string) => (key === 'gateway' ? { ...(values['bascule:gateway'] as object), shadow: { stt: { enabled: true, sampleRate: 20 } } } : values[`bascule:${key}`]);
    expect(() => parseStackConfig(read)).toThrow(/bascule:gateway\.shadow\.stt\.sampleRate: expected a fraction between 0 and 1/);
  });
});
