// The stack file as preflight reads it: the repository's own stack files, in either form of the GPU hosts.
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStack } from '../src/preflight/stack.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bascule-stack-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stackFile(lines: string[]): string {
  const file = join(dir, `Pulumi.t-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, ['config:', ...lines, ''].join('\n'));
  return file;
}

describe('readStack', () => {
  it.each(['staging', 'production'])('reads the first GPU host of Pulumi.%s.yaml', (stack) => {
    const info = readStack(stack, { cwd: REPO });
    expect(info.host).toMatchObject({ sshUser: 'deploy', sshPort: 22, gpuModel: 'NVIDIA RTX 4000 SFF Ada', vramMb: 20480 });
    expect(info.host.sshHostKey).toMatch(/^ssh-ed25519 /);
  });

  it('takes the first entry of bascule:gpuHosts, and bascule:host in the one-host form', () => {
    const list = stackFile(['  bascule:gpuHosts:', '    - name: gpu', '      address: 203.0.113.10', '      sshUser: ops', '      gpu: { vramMb: 24576 }', '    - name: gpu-2', '      address: 203.0.113.11']);
    expect(readStack('t', { file: list, cwd: dir }).host).toMatchObject({ address: '203.0.113.10', sshUser: 'ops', vramMb: 24576 });
    const one = stackFile(['  bascule:host:', '    address: 203.0.113.12', '    sshUser: ops']);
    expect(readStack('t', { file: one, cwd: dir }).host).toMatchObject({ address: '203.0.113.12', sshUser: 'ops' });
  });
});
