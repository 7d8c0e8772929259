// Commands on the GPU host through the system's OpenSSH client: batch mode (never a prompt), a connect
// timeout, and the host key checked against the stack's pinned key when it has one.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SshTarget {
  address: string;
  port: number;
  user: string;
  /** Private key file (--identity); the agent's and ssh's defaults otherwise. */
  identity?: string;
  /** "ssh-ed25519 AAAA…" from the stack (bascule:host.sshHostKey). */
  hostKey?: string;
  /** The ssh client (tests point it at a wrapper); `ssh` on PATH by default. */
  command?: string;
}

export interface RemoteResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export class Ssh {
  private readonly dir = mkdtempSync(join(tmpdir(), 'bascule-preflight-'));
  private readonly knownHosts = join(this.dir, 'known_hosts');

  constructor(readonly target: SshTarget) {
    const host = target.port === 22 ? target.address : `[${target.address}]:${target.port}`;
    writeFileSync(this.knownHosts, target.hostKey ? `${host} ${target.hostKey}\n` : '');
  }

  /** Whether the host key was checked against a pinned one (otherwise accepted on first use, for this run only). */
  get pinned(): boolean {
    return this.target.hostKey !== undefined;
  }

  run(command: string, timeoutMs: number): Promise<RemoteResult> {
    const t = this.target;
    const args = [
      '-o', 'BatchMode=yes',
      '-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`,
      '-o', `StrictHostKeyChecking=${t.hostKey ? 'yes' : 'accept-new'}`,
      '-o', `UserKnownHostsFile=${this.knownHosts}`,
      '-o', 'LogLevel=ERROR',
      '-p', String(t.port),
      ...(t.identity ? ['-i', t.identity, '-o', 'IdentitiesOnly=yes'] : []),
      `${t.user}@${t.address}`,
      command,
    ];
    const started = performance.now();
    return new Promise((resolve) => {
      execFile(t.command ?? 'ssh', args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const why = error && error.killed ? `${stderr}no answer within ${timeoutMs} ms` : stderr;
        resolve({ code, stdout: String(stdout), stderr: String(why).trim(), ms: performance.now() - started });
      });
    });
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
