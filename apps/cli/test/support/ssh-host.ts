// A stand-in for the GPU host: Debian's OpenSSH server on a free loopback port, with a throwaway host key,
// one authorized test key, and a fake `nvidia-smi` (printing what the real one prints for the query the
// check sends) first on the session's PATH. Runs as the current user (root in CI); stops with close().
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface SshHost {
  port: number;
  user: string;
  /** The client's private key (for --identity). */
  identity: string;
  /** "ssh-ed25519 AAAA…": the host's public key, as the stack pins it. */
  hostKey: string;
  /** A folder on the "host" for files the checks look at (backups). */
  dir: string;
  /** Replace the fake nvidia-smi's output (exit code 0) or make it fail (non-zero). */
  setNvidiaSmi(output: string, exitCode?: number): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSshHost(): Promise<SshHost> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install Debian's openssh-server (apt-get install openssh-server)`);
  const dir = mkdtempSync(join(tmpdir(), 'bascule-sshd-'));
  chmodSync(dir, 0o755);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const nvidiaSmi = join(bin, 'nvidia-smi');
  const setNvidiaSmi = (output: string, exitCode = 0) => {
    writeFileSync(nvidiaSmi, `#!/bin/sh\nprintf '%s\\n' '${output.replace(/'/g, '')}'\nexit ${exitCode}\n`);
    chmodSync(nvidiaSmi, 0o755);
  };
  setNvidiaSmi('NVIDIA RTX 4000 SFF Ada Generation, 550.54.15, 20475, 512');
  // sshd needs its privilege-separation folder (the package's service creates it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const user = userInfo().username;
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      `SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const sshd: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  sshd.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    sshd.kill('SIGKILL');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return {
    port,
    user,
    identity: join(dir, 'client_key'),
    hostKey,
    dir,
    setNvidiaSmi,
    close: async () => {
      if (sshd.exitCode === null) {
        const exited = new Promise((resolve) => sshd.once('exit', resolve));
        sshd.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
