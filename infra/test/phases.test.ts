// One run of the program per phase under Pulumi's mocks; each test asserts what its phase adds and that
// nothing an earlier phase deployed is replaced or changed (except the gateway's config file, updated in place).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '@bascule/contracts';
import { runWithMocks, CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, MOCK_ACCESS_AUD, MOCK_ZONE_ID, type MockRun, type MockedResource } from '../src/mocks/run.ts';
import type { DeployedGatewayConfig } from '../src/gateway-config.ts';
import { FIXTURE_SECRETS, FIXTURE_SECRET_KEYS, fixtureConfig, fixtureHostKey } from '../src/mocks/fixtures.ts';
import { PHASES, type Phase } from '../src/phases.ts';

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const runs = {} as Record<Phase, MockRun>;
let selfHostedLlm: MockRun;
let selfHostedStt: MockRun;

beforeAll(async () => {
  for (const phase of PHASES) runs[phase] = await runWithMocks(fixtureConfig(phase), FIXTURE_SECRET_KEYS);
  selfHostedLlm = await runWithMocks(fixtureConfig('llm', { 'bascule:llm': { selfHosted: true } }), FIXTURE_SECRET_KEYS);
  selfHostedStt = await runWithMocks(fixtureConfig('stt', { 'bascule:llm': { selfHosted: true } }), FIXTURE_SECRET_KEYS);
}, 240_000);

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
const rawGatewayConfigOf = (run: MockRun, gw = 'gw-1') => JSON.parse(String(plain(find(run, `${gw}-gateway-config`).inputs.stdin))) as DeployedGatewayConfig;
const gatewayConfigOf = (run: MockRun, gw = 'gw-1') => parseGatewayConfig(rawGatewayConfigOf(run, gw));

/** What a later phase may change in place: the gateways' config files (and so their restarts) and Prometheus' targets. */
const UPDATED_IN_PLACE = /^(gw-\d+-gateway-(config|restart)|monitoring-prometheus-config)$/;

/** Resources of `before` must be in `after` with the same inputs; only UPDATED_IN_PLACE may change, by stdin. */
function expectNothingReplaced(before: Phase | MockRun, after: Phase | MockRun): void {
  const [earlier, later] = [before, after].map((r) => (typeof r === 'string' ? runs[r] : r)) as [MockRun, MockRun];
  const byKey = new Map(later.resources.map((r) => [key(r), r]));
  for (const resource of earlier.resources) {
    const same = byKey.get(key(resource));
    expect(same, `${key(resource)} is missing in the later phase`).toBeDefined();
    if (UPDATED_IN_PLACE.test(resource.name)) {
      // Only its stdin (the file) changes, never `create` or `triggers`: @pulumi/command then updates the
      // resource in place (runs `create`, or `update`, again), where a changed trigger would replace it.
      const { stdin: _before, ...rest } = resource.inputs;
      const { stdin: _after, ...restLater } = same!.inputs;
      expect(JSON.stringify(restLater), resource.name).toBe(JSON.stringify(rest));
      expect(resource.inputs.triggers).toBeUndefined();
      continue;
    }
    expect(JSON.stringify(same!.inputs), `${key(resource)} changed in the later phase`).toBe(JSON.stringify(resource.inputs));
  }
}

function unitOf(run: MockRun, name: string): string {
  return String(plain(find(run, `${name}-unit`).inputs.stdin));
}
const connectionHost = (r: MockedResource) => String((plain(r.inputs.connection) as { host?: string }).host);
const GPU_ADDRESS = '203.0.113.10';
const GATEWAY_ADDRESSES = ['203.0.113.61', '203.0.113.62'];

describe('phase foundation', () => {
  it('adopts every Contabo instance with a serialised provider that keeps its credentials secret', () => {
    for (const [name, id] of [['host-contabo', 202611240], ['gw-1-host-contabo', 202611251], ['gw-2-host-contabo', 202611252]] as const) {
      const instance = find(runs.foundation, name);
      // The provider's code travels in the state (closure serialisation) and carries the delete guard.
      expect(String(instance.inputs.__provider)).toContain('refusing to cancel Contabo instance');
      expect(instance.type).toBe('pulumi-nodejs:dynamic/contabo:Instance');
      expect(instance.inputs.instanceId).toBe(id);
      expect(instance.inputs.allowCancel).toBe(false);
      expect(isSecret(instance.inputs.credentials)).toBe(true);
    }
  });

  it('keeps the URNs the GPU host had as the stack\'s only host (aliases), so the instance is not replaced', () => {
    expect(find(runs.foundation, 'host-contabo').aliases).toContain('urn:pulumi:staging::bascule::bascule:infra:Host$pulumi-nodejs:dynamic/contabo:Instance::host-contabo');
    expect(find(runs.foundation, 'host').aliases).toEqual(['urn:pulumi:staging::bascule::bascule:infra:Host::host']);
    expect(find(runs.foundation, 'bootstrap').aliases).toEqual(['urn:pulumi:staging::bascule::bascule:infra:Bootstrap::bootstrap']);
    expect(find(runs.stt, 'model-whisper').aliases).toEqual(['urn:pulumi:staging::bascule::bascule:infra:ContainerService::model-whisper']);
    expect(find(runs.foundation, 'host').engineUrn).toBe('urn:pulumi:staging::bascule::bascule:infra:GpuNode$bascule:infra:Host::host');
  });

  it('runs the gateways on their own hosts (two), and nothing but model services and exporters on the GPU host', () => {
    const units = runs.vision.resources.filter((r) => r.name.endsWith('-unit'));
    const onGpu = units.filter((r) => connectionHost(r) === GPU_ADDRESS).map((r) => r.name).sort();
    expect(onGpu).toEqual(['gpu-dcgm-exporter-unit', 'gpu-node-exporter-unit', 'model-trocr-unit', 'model-tts-unit', 'model-whisper-unit']);
    for (const [i, address] of GATEWAY_ADDRESSES.entries()) {
      const here = units.filter((r) => connectionHost(r) === address).map((r) => r.name);
      expect(here).toEqual(expect.arrayContaining([`gw-${i + 1}-gateway-app-unit`, `gw-${i + 1}-gateway-proxy-unit`, `gw-${i + 1}-node-exporter-unit`]));
    }
    expect(runs.foundation.outputs.gatewayHosts).toEqual({ 'gw-1': GATEWAY_ADDRESSES[0], 'gw-2': GATEWAY_ADDRESSES[1] });
  });

  it('pins every host key and connects as the non-root deploy user', () => {
    const commands = runs.foundation.resources.filter((r) => r.type === 'command:remote:Command');
    expect(commands.length).toBeGreaterThan(20);
    for (const c of commands) {
      const connection = plain(c.inputs.connection) as { user: string; hostKey?: string };
      expect(connection.user, c.name).toBe('deploy');
      expect(connection.hostKey, c.name).toMatch(/^ssh-ed25519 AAAA/);
    }
    expect(String(find(runs.foundation, 'bootstrap-ssh').inputs.create)).toMatch(/^sudo -n bash \/opt\/bascule\/scripts\/12-ssh\.sh 'deploy'/);
  });

  it('bootstraps each host in order: SSH, driver (GPU only), Docker, service user, tunnel, firewall, housekeeping', () => {
    for (const step of ['ssh', 'nvidia', 'docker', 'hardening', 'wireguard', 'firewall', 'housekeeping']) expect(find(runs.foundation, `bootstrap-${step}`).type).toBe('command:remote:Command');
    expect(runs.foundation.resources.some((r) => r.name === 'gw-1-bootstrap-nvidia')).toBe(false);
    expect(find(runs.foundation, 'bootstrap-docker').inputs.create).toMatch(/20-docker\.sh 'gpu'/);
    expect(find(runs.foundation, 'gw-1-bootstrap-docker').inputs.create).toMatch(/20-docker\.sh 'gateway'/);
    expect(find(runs.foundation, 'bootstrap-hardening').inputs.create).toMatch(/40-hardening\.sh 'bascule' '10001:10001' 'deploy'/);
  });

  it('opens 443 to Cloudflare on the gateway hosts only, 22 to the admins, WireGuard to the other hosts', () => {
    const gpu = String(find(runs.foundation, 'bootstrap-firewall').inputs.create);
    expect(gpu).toContain(`'198.51.100.7/32 2001:db8::/64' '' '' '${GATEWAY_ADDRESSES.join(' ')}' '51820' '10.77.0.0/24'`);
    const gateway = String(find(runs.foundation, 'gw-1-bootstrap-firewall').inputs.create);
    expect(gateway).toContain(`'${CLOUDFLARE_IPV4.join(' ')}' '${CLOUDFLARE_IPV6.join(' ')}' '${GPU_ADDRESS} ${GATEWAY_ADDRESSES[1]}'`);
  });

  it('joins every host to the private network with a [Peer] for each other host, keys made on the hosts', () => {
    const keyOf = (host: string) => find(runs.foundation, `${host}-wireguard-key`);
    expect(String(keyOf('host').inputs.create)).toMatch(/^sudo -n bash -s -- '\/etc\/wireguard\/bascule\.key' # 05-wireguard-key\.sh@/);
    const gpuPeers = String(plain(find(runs.foundation, 'bootstrap-wireguard').inputs.stdin));
    expect(gpuPeers.match(/\[Peer\]/g)).toHaveLength(2);
    expect(gpuPeers).toContain(`Endpoint = ${GATEWAY_ADDRESSES[0]}:51820\nAllowedIPs = 10.77.0.11/32`);
    expect(gpuPeers).toMatch(/PublicKey = [A-Za-z0-9+/]{43}=/);
    expect(String(find(runs.foundation, 'bootstrap-wireguard').inputs.create)).toContain(`45-wireguard.sh '10.77.0.1/24' '51820'`);
    const gwPeers = String(plain(find(runs.foundation, 'gw-2-bootstrap-wireguard').inputs.stdin));
    expect(gwPeers).toContain(`Endpoint = ${GPU_ADDRESS}:51820\nAllowedIPs = 10.77.0.1/32`);
    expect(gwPeers).toContain('AllowedIPs = 10.77.0.11/32');
    expect(gwPeers).not.toContain('AllowedIPs = 10.77.0.12/32');
  });

  it('creates the shared model cache volume on the GPU host, kept on delete, and gives it to the models\' user', () => {
    expect(find(runs.foundation, 'bootstrap-model-cache').inputs).toMatchObject({ name: 'bascule-models' });
    expect(String(find(runs.foundation, 'bootstrap-model-cache-owner').inputs.create)).toMatch(/50-model-cache\.sh 'bascule-models' '10001:10001'/);
    expect(find(runs.foundation, 'bootstrap-network').inputs).toMatchObject({ name: 'bascule', driver: 'bridge' });
    expect(runs.foundation.resources.some((r) => r.name === 'gw-1-bootstrap-model-cache')).toBe(false);
  });

  it('balances both host names over the gateway hosts, checked on /readyz', () => {
    const monitor = find(runs.foundation, 'edge-monitor').inputs;
    expect(monitor).toMatchObject({ path: '/readyz', expectedCodes: '200', type: 'https', header: { Host: ['api-staging.example.org'] } });
    const pool = find(runs.foundation, 'edge-pool').inputs;
    expect(pool.origins).toEqual(GATEWAY_ADDRESSES.map((address, i) => ({ name: `gw-${i + 1}`, address, enabled: true, weight: 1 })));
    expect(pool.monitor).toBe('edge-monitor-id');
    for (const [id, hostname] of [['api', 'api-staging.example.org'], ['admin', 'admin-staging.example.org']]) {
      expect(find(runs.foundation, `edge-lb-${id}`).inputs).toMatchObject({ name: hostname, proxied: true, defaultPools: ['edge-pool-id'], fallbackPool: 'edge-pool-id', zoneId: MOCK_ZONE_ID });
    }
    expect(runs.foundation.resources.some((r) => r.type === 'cloudflare:index/dnsRecord:DnsRecord')).toBe(false);
  });

  it('sets SSL strict, TLS 1.2 and HTTPS always for Bascule\'s host names only, never zone-wide', () => {
    expect(runs.foundation.resources.some((r) => r.type === 'cloudflare:index/zoneSetting:ZoneSetting')).toBe(false);
    const hosts = '(http.host in {"api-staging.example.org" "admin-staging.example.org"})';
    const config = find(runs.foundation, 'edge-config-rules').inputs as { phase: string; rules: { expression: string; actionParameters: { ssl: string } }[] };
    expect(config.phase).toBe('http_config_settings');
    expect(config.rules[0]).toMatchObject({ expression: hosts, action: 'set_config', actionParameters: { ssl: 'strict' } });
    const redirect = find(runs.foundation, 'edge-redirect-rules').inputs as { phase: string; rules: { expression: string }[] };
    expect(redirect.phase).toBe('http_request_dynamic_redirect');
    expect(redirect.rules[0]!.expression).toBe(`${hosts} and not ssl`);
    for (const id of ['api', 'admin']) expect(find(runs.foundation, `edge-min-tls-${id}`).inputs).toMatchObject({ settingId: 'min_tls_version', value: '1.2' });
  });

  it('leaves the zone\'s rule entry points to the stack that owns them', async () => {
    const run = await runWithMocks(fixtureConfig('foundation', { 'bascule:dns': { zone: 'example.org', gateway: 'api-staging', admin: 'admin-staging', zoneRules: { manage: false } } }), FIXTURE_SECRET_KEYS);
    expect(run.resources.some((r) => r.type === 'cloudflare:index/ruleset:Ruleset')).toBe(false);
    expect(find(run, 'edge-min-tls-api').type).toBe('cloudflare:index/hostnameTlsSetting:HostnameTlsSetting');
  });

  it('admits only Cloudflare with this stack\'s client certificate (per-hostname Authenticated Origin Pulls)', () => {
    const pulls = find(runs.foundation, 'edge-pull').inputs as { configs: { hostname: string; certId: string; enabled: boolean }[] };
    expect(pulls.configs).toEqual([
      { hostname: 'api-staging.example.org', certId: 'edge-pull-cert-id', enabled: true },
      { hostname: 'admin-staging.example.org', certId: 'edge-pull-cert-id', enabled: true },
    ]);
    expect(isSecret(find(runs.foundation, 'edge-pull-cert').inputs.privateKey)).toBe(true);
    expect(plain(find(runs.foundation, 'gw-1-gateway-origin-pull-ca').inputs.stdin)).toBe('mock-ca-certificate-pem');
    const nginx = String(plain(find(runs.foundation, 'gw-1-gateway-proxy-config').inputs.stdin));
    expect(nginx.match(/ssl_verify_client on;/g)).toHaveLength(2);
    expect(nginx).toContain('ssl_client_certificate /etc/bascule/origin-pull-ca.pem;');
  });

  it('installs the Origin CA certificate and its key on each gateway host, where the proxy serves TLS 1.2+ on 443', () => {
    for (const gw of ['gw-1', 'gw-2']) {
      const cert = find(runs.foundation, `${gw}-gateway-origin-cert`).inputs;
      expect(plain(cert.stdin)).toBe('mock-origin-certificate-pem');
      expect(String(cert.create)).toContain(`'/etc/bascule/origin.pem' '0644'`);
      expect(String(find(runs.foundation, `${gw}-gateway-origin-key`).inputs.create)).toContain(`'/etc/bascule/origin.key' '0640'`);
    }
    expect(find(runs.foundation, 'edge-origin-csr').inputs).toMatchObject({ dnsNames: ['api-staging.example.org', 'admin-staging.example.org'] });
    const nginx = String(plain(find(runs.foundation, 'gw-1-gateway-proxy-config').inputs.stdin));
    expect(nginx).toContain('listen 443 ssl;');
    expect(nginx).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(nginx).toMatch(/listen 443 ssl default_server;\s+listen \[::\]:443 ssl default_server;\s+ssl_reject_handshake on;/);
  });

  it('serves the admin API and the dashboard on the Access-protected host name only, and /metrics on neither', () => {
    const nginx = String(plain(find(runs.foundation, 'gw-1-gateway-proxy-config').inputs.stdin));
    const api = nginx.slice(nginx.indexOf('server_name api-staging.example.org;'), nginx.indexOf('server_name admin-staging.example.org;'));
    const admin = nginx.slice(nginx.indexOf('server_name admin-staging.example.org;'), nginx.indexOf('default_server'));
    expect(api).toMatch(/location \/admin\/ \{[^}]*return 404/);
    expect(api).toMatch(/location \/dashboard \{[^}]*return 404/);
    expect(api).toMatch(/location = \/metrics \{[^}]*return 404/);
    expect(api).toContain('location / {\n      proxy_pass http://127.0.0.1:8080;');
    expect(admin).toContain('location /admin/v1/ {\n      proxy_pass');
    expect(admin).toContain('location /dashboard/ {\n      proxy_pass');
    expect(admin).toContain('location = / { return 302 /dashboard/; }');
    expect(admin).toMatch(/location \/ \{[^}]*return 404/);
    expect(find(runs.foundation, 'edge-admin-access').inputs).toMatchObject({ type: 'self_hosted', domain: 'admin-staging.example.org' });
    expect(find(runs.foundation, 'edge-admin-policy').inputs).toMatchObject({ decision: 'allow', includes: [{ email: { email: 'ops@example.org' } }] });
  });

  it('writes each gateway\'s config with the admin host names, the Access audience, /metrics on its private address, and the store', () => {
    for (const [gw, address] of [['gw-1', '10.77.0.11'], ['gw-2', '10.77.0.12']]) {
      const file = rawGatewayConfigOf(runs.foundation, gw);
      expect(file.admin).toMatchObject({ hostnames: ['admin-staging.example.org'], access: { teamDomain: 'bascule.cloudflareaccess.com', audience: MOCK_ACCESS_AUD } });
      expect(file.metrics).toEqual({ host: address, port: 9464 });
      expect(file.store).toEqual({ databaseUrlEnv: 'BASCULE_DATABASE_URL' });
      expect(file.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    }
    const env = find(runs.foundation, 'gw-2-gateway-env').inputs.stdin;
    expect(isSecret(env)).toBe(true);
    expect(String(plain(env))).toContain(`BASCULE_DATABASE_URL=postgres://bascule:SECRET-database-0011@10.77.0.11:5432/bascule\n`);
  });

  it('runs the gateway under systemd on the host network, limited, unprivileged, restarted one host at a time', () => {
    const gateway = unitOf(runs.foundation, 'gw-1-gateway-app');
    expect(gateway).toContain('Restart=always');
    expect(gateway).toContain('--network host');
    expect(gateway).toContain('--log-driver journald');
    expect(gateway).toContain('StandardOutput=null');
    expect(gateway).not.toContain('--gpus');
    expect(gateway).toMatch(/--memory \S+ --memory-swap \S+ --cpus \S+/);
    expect(gateway).toContain('--security-opt no-new-privileges --cap-drop ALL');
    expect(gateway).toContain('--user 10001:10001');
    expect(gateway).toContain('User=bascule');
    expect(String(find(runs.foundation, 'gw-1-gateway-app-unit').inputs.create)).toContain('install-unit.sh \'bascule-gateway.service\' --no-restart');
    expect(String(find(runs.foundation, 'gw-1-gateway-config').inputs.create)).toBe(`sudo -n bash /opt/bascule/scripts/install-file.sh '/etc/bascule/gateway.json' '0640' 'bascule'`);
    const first = find(runs.foundation, 'gw-1-gateway-restart');
    const second = find(runs.foundation, 'gw-2-gateway-restart');
    expect(String(first.inputs.create)).toMatch(/rolling-restart\.sh 'bascule-gateway\.service' 'http:\/\/127\.0\.0\.1:8080\/readyz' 40 300/);
    expect(first.inputs.update).toBe(first.inputs.create);
    expect(isSecret(first.inputs.stdin)).toBe(true);
    expect(second.dependencies).toContain(first.engineUrn);
    expect(first.dependencies).not.toContain(second.engineUrn);
    expect(unitOf(runs.foundation, 'gw-1-gateway-proxy')).toContain('--network host');
    expect(unitOf(runs.foundation, 'gw-1-gateway-proxy')).toContain('-v /run/bascule:/run/bascule:ro');
  });

  it('puts PostgreSQL\'s primary and standby on the gateway hosts, with an encrypted backup off the hosts', () => {
    const primary = find(runs.foundation, 'database-primary');
    expect(connectionHost(primary)).toBe(GATEWAY_ADDRESSES[0]);
    expect(String(primary.inputs.create)).toMatch(/60-postgres\.sh 'primary' '10\.77\.0\.11' '10\.77\.0\.0\/24' '10\.77\.0\.12'/);
    expect(isSecret(primary.inputs.stdin)).toBe(true);
    const standby = find(runs.foundation, 'database-standby');
    expect(connectionHost(standby)).toBe(GATEWAY_ADDRESSES[1]);
    expect(String(standby.inputs.create)).toMatch(/60-postgres\.sh 'standby' '10\.77\.0\.12' '10\.77\.0\.0\/24' '10\.77\.0\.11'/);
    expect(standby.dependencies).toContain(primary.engineUrn);
    const env = String(plain(find(runs.foundation, 'database-backup-env').inputs.stdin));
    expect(env).toContain('RESTIC_REPOSITORY=s3:https://eu2.contabostorage.com/bascule-backups/staging\n');
    expect(env).toContain('KEEP_DAILY=14\n');
    expect(String(find(runs.foundation, 'database-backup-timer').inputs.create)).toMatch(/61-backup\.sh '\*-\*-\* \*:17:00'/);
  });

  it('scrapes every host, the gateways and the GPU, with alert rules sent to the webhook', () => {
    const prometheus = JSON.parse(String(plain(find(runs.stt, 'monitoring-prometheus-config').inputs.stdin))) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = Object.fromEntries(prometheus.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]));
    expect(targets).toEqual({
      node: ['10.77.0.1:9100', '10.77.0.11:9100', '10.77.0.12:9100'],
      gateway: ['10.77.0.11:9464', '10.77.0.12:9464'],
      gpu: ['10.77.0.1:9400'],
      models: ['10.77.0.1:8001'],
    });
    const rules = String(plain(find(runs.foundation, 'monitoring-alert-rules').inputs.stdin));
    for (const alert of ['HostDown', 'GatewayDown', 'GpuMemoryHigh', 'DiskAlmostFull', 'ComponentRolledBack', 'HostDrift', 'BackupMissing']) expect(rules).toContain(`alert: ${alert}`);
    expect(unitOf(runs.foundation, 'gw-1-node-exporter')).toContain('--collector.textfile.directory=/host/var/lib/bascule/metrics');
    expect(String(plain(find(runs.foundation, 'monitoring-alertmanager-config').inputs.stdin))).toContain('"url": "https://alerts.example.org/hooks/bascule"');
    expect(connectionHost(find(runs.foundation, 'monitoring-prometheus-unit'))).toBe(GATEWAY_ADDRESSES[1]);
    expect(unitOf(runs.foundation, 'gpu-dcgm-exporter')).toContain('-p 10.77.0.1:9400:9400');
    expect(unitOf(runs.foundation, 'gpu-dcgm-exporter')).toContain('--gpus all');
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
    for (const name of ['gw-1-gateway-env', 'gw-1-gateway-origin-key', 'database-backup-env', 'database-primary', 'database-standby']) {
      expect(isSecret(find(runs.foundation, name).inputs.stdin), name).toBe(true);
    }
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
    expect(selfHostedLlm.resources.filter((r) => !earlier.has(key(r))).map((r) => r.name).sort()).toEqual(['model-llama', 'model-llama-image', 'model-llama-ready', 'model-llama-unit']);
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
    expect(unit).toContain('-p 10.77.0.1:8080:8080');
    expect(gatewayConfigOf(selfHostedLlm).components.llm?.providers['vps-llm']?.baseUrl).toBe('http://10.77.0.1:8080/v1');
    expectNothingReplaced('foundation', selfHostedLlm);
  });

  it('keeps llama.cpp untouched when the next phase (stt) adds whisper next to it', () => {
    expectNothingReplaced(selfHostedLlm, selfHostedStt);
    const earlier = new Set(selfHostedLlm.resources.map(key));
    expect(selfHostedStt.resources.filter((r) => !earlier.has(key(r))).map((r) => r.name).sort()).toEqual(['model-whisper', 'model-whisper-image', 'model-whisper-ready', 'model-whisper-unit']);
    expect(selfHostedStt.outputs.modelServices).toEqual(['llama', 'whisper']);
  });
});

describe.each([
  ['stt', 'llm', 'whisper', 'faster-whisper'],
  ['tts', 'stt', 'tts', 'coqui'],
  ['vision', 'tts', 'trocr', 'trocr'],
] as const)('phase %s', (phase, before, image, provider) => {
  it(`adds only the ${image} service, with GPU access, a model cache and a restart policy`, () => {
    expect(added(phase, before)).toEqual([`model-${image}`, `model-${image}-image`, `model-${image}-ready`, `model-${image}-unit`].sort());
    const unit = unitOf(runs[phase], `model-${image}`);
    expect(unit).toContain('--gpus all');
    expect(unit).toMatch(/-v bascule-models:\/models\b/);
    expect(unit).toContain('--network bascule');
    expect(unit).toContain('Restart=always');
    expect(unit).toContain('--health-cmd');
    expect(unit).toContain('--user 10001:10001');
    expect(unit).toContain('--health-start-period 900s');
    // Published on the GPU host's private address only: the gateways reach it through the tunnel.
    expect(unit).toMatch(/ -p 10\.77\.0\.1:\d+:\d+ /);
    expect(unit).not.toMatch(/-p (?!10\.77\.0\.1:)/);
    expect(unit).toContain('--security-opt no-new-privileges --cap-drop ALL');
    expect(unit).toContain(`/health`);
    expect(find(runs[phase], `model-${image}-image`).inputs).toMatchObject({ skipPush: true, imageName: `bascule/${image}:local` });
  });

  it(`routes no gateway to ${image} before its /health answers`, () => {
    const ready = find(runs[phase], `model-${image}-ready`);
    expect(String(ready.inputs.create)).toMatch(new RegExp(`wait-http\\.sh 'http://10\\.77\\.0\\.1:\\d+/health' '1800'`));
    expect(ready.dependencies).toContain(find(runs[phase], `model-${image}-unit`).engineUrn);
    for (const gw of ['gw-1', 'gw-2']) expect(find(runs[phase], `${gw}-gateway-restart`).dependencies).toContain(ready.engineUrn);
  });

  it(`replaces nothing of ${before} and routes ${phase} to ${provider}`, () => {
    expectNothingReplaced(before, phase);
    const config = gatewayConfigOf(runs[phase]);
    expect(config.components[phase]?.production).toBe(provider);
    expect(Object.keys(config.components)).toEqual(PHASES.slice(1, PHASES.indexOf(phase) + 1));
  });
});

it('uses existing hosts by address, without Contabo and without its secrets', async () => {
  const secrets = FIXTURE_SECRET_KEYS.filter((k) => !k.includes('contabo'));
  const config = Object.fromEntries(Object.entries(fixtureConfig('foundation')).filter(([k]) => !k.includes('contabo')));
  config['bascule:host'] = { provider: 'existing', address: '198.51.100.20', sshUser: 'ops', sshHostKey: fixtureHostKey(1), privateAddress: '10.77.0.1', gpu: { model: 'L4', vramMb: 24_576 } };
  config['bascule:gatewayHosts'] = [21, 22].map((n, i) => ({ name: `gw-${i + 1}`, provider: 'existing', address: `198.51.100.${n}`, sshUser: 'ops', sshHostKey: fixtureHostKey(n), privateAddress: `10.77.0.${n}` }));
  const run = await runWithMocks(config, secrets);
  expect(run.resources.some((r) => r.type === 'pulumi-nodejs:dynamic/contabo:Instance')).toBe(false);
  expect((find(run, 'edge-pool').inputs.origins as { address: string }[]).map((o) => o.address)).toEqual(['198.51.100.21', '198.51.100.22']);
  expect(String(find(run, 'bootstrap-firewall').inputs.create)).toMatch(/^sudo -n bash /);
  // The SSH user joins the docker group: the Docker provider reaches the engine as that user.
  expect(String(find(run, 'bootstrap-hardening').inputs.create)).toMatch(/40-hardening\.sh 'bascule' '10001:10001' 'ops'/);
  expect((plain(find(run, 'gw-2-bootstrap-ssh').inputs.connection) as { hostKey: string }).hostKey).toBe(fixtureHostKey(22));
});

describe('images built in CI', () => {
  it('are pulled by digest instead of built on the hosts', async () => {
    const digest = (n: string) => `ghcr.io/example/bascule-${n}@sha256:${n.charCodeAt(0).toString(16).padStart(2, '0').repeat(32)}`;
    const run = await runWithMocks(fixtureConfig('stt', { 'bascule:images': { gateway: digest('gateway'), whisper: digest('whisper') } }), FIXTURE_SECRET_KEYS);
    expect(find(run, 'model-whisper-image')).toMatchObject({ type: 'docker:index/remoteImage:RemoteImage', inputs: { name: digest('whisper') } });
    expect(find(run, 'gw-1-gateway-app-image')).toMatchObject({ type: 'docker:index/remoteImage:RemoteImage', inputs: { name: digest('gateway') } });
    expect(unitOf(run, 'model-whisper')).toContain(` ${digest('whisper')}`);
    expect(run.resources.some((r) => r.type === 'docker:index/image:Image')).toBe(false);
  });
});

describe('a rebuilt image', () => {
  it('changes the unit of its service (run by digest), so `pulumi up` restarts it; an unchanged build changes nothing', async () => {
    const rebuilt = await runWithMocks(fixtureConfig('stt'), FIXTURE_SECRET_KEYS, 'staging', { sourceRevision: 'r2' });
    const same = await runWithMocks(fixtureConfig('stt'), FIXTURE_SECRET_KEYS, 'staging');
    for (const service of ['gw-1-gateway-app', 'model-whisper']) {
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
  expect(runs.foundation.outputs).toMatchObject({ dashboardUrl: 'https://admin-staging.example.org/dashboard/', components: [], modelServices: [] });
  expect(runs.vision.outputs.components).toEqual(['llm', 'stt', 'tts', 'vision']);
  expect(runs.vision.outputs.modelEndpoints).toEqual({ whisper: 'http://10.77.0.1:8001', tts: 'http://10.77.0.1:8002', trocr: 'http://10.77.0.1:8003' });
  expect(selfHostedStt.outputs.modelEndpoints).toEqual({ llama: 'http://10.77.0.1:8080', whisper: 'http://10.77.0.1:8001' });
});

it('fails the run, before any resource, with the budget message when the models do not fit the card', async () => {
  const small = fixtureConfig('vision', {
    'bascule:llm': { selfHosted: true },
    'bascule:host': { ...(fixtureConfig('vision')['bascule:host'] as object), gpu: { model: 'RTX 4000 (8 GB)', vramMb: 8_192 } },
  });
  await expect(runWithMocks(small, FIXTURE_SECRET_KEYS)).rejects.toThrow(/GPU memory budget exceeded: the models need \d+ MB, the card has 8192 MB[\s\S]*llama: 6656 MB[\s\S]*bascule:llm\.selfHosted false/);
});
