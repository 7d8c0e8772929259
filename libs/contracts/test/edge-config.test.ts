// The config of the gateway's edge: admin host names and Cloudflare Access, the separate /metrics listener,
// rate limits and the replicas that share them, the trusted client-address header.
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig, type GatewayConfigInput } from '../src/index.ts';
import { issuesOf } from './support/config-issues.ts';

function withEdge(edge: Partial<GatewayConfigInput>): GatewayConfigInput {
  return {
    auth: { clientKeys: [{ name: 'reading-app', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN' },
    components: {},
    vps: { monthlyCostEur: 160 },
    ...edge,
  };
}

describe('admin, metrics and rate-limit settings', () => {
  it('reads the admin host names, Access and the metrics listener as the infra writes them', () => {
    const config = parseGatewayConfig(
      withEdge({
        admin: { hostnames: ['Admin.Example.fr'], access: { teamDomain: 'bascule.cloudflareaccess.com', audience: 'aud-tag' } },
        metrics: { host: '10.8.0.2', port: 9464 },
        server: { replicas: 2, clientAddressHeader: 'CF-Connecting-IP' },
      }),
    );
    expect(config.admin).toEqual({ hostnames: ['admin.example.fr'], access: { teamDomain: 'bascule.cloudflareaccess.com', audience: 'aud-tag' }, rateLimitPerMinute: 300, streams: { perCaller: 4, total: 32 } });
    expect(config.metrics).toEqual({ host: '10.8.0.2', port: 9464 });
    expect(config.server).toMatchObject({ replicas: 2, clientAddressHeader: 'cf-connecting-ip' });
  });

  it('names each bad edge setting by its path', () => {
    expect(
      issuesOf(
        withEdge({
          admin: { hostnames: ['https://admin.example.fr/'], access: { teamDomain: 'bascule.cloudflareaccess.com' } as never },
          metrics: { host: '10.8.0.2' },
          server: { replicas: 0 },
          auth: { clientKeys: [{ name: 'app', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN', studentRateLimitPerMinute: 0.5 },
        }),
      ),
    ).toEqual([
      'server.replicas: expected a whole number of gateways (>= 1)',
      'auth.studentRateLimitPerMinute: expected a whole number of requests per minute, got number',
      'admin.hostnames[0]: expected a host name such as "admin.example.fr" (no scheme, no port, no path), got the string "https://admin.example.fr/"',
      "admin.access.audience: missing (expected the Access application's AUD tag)",
      'metrics.port: missing (expected host and port together, or neither)',
    ]);
  });
});
