// Long-running processes started inside a host's namespace (lab, gateways, HAProxy), each with its output in
// a log file of the run's folder and the last lines kept for error messages. `stopAll` ends every one still
// running; the namespace sweep catches anything that escaped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface HostProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** The last lines it printed. */
  tail(): string;
}

const running = new Set<HostProcess>();

export interface StartOptions {
  name: string;
  ns: string;
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  logDir: string;
  cwd?: string;
}

export function startIn(options: StartOptions): HostProcess {
  const child = spawn('ip', ['netns', 'exec', options.ns, options.command, ...options.args], {
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const log = createWriteStream(join(options.logDir, `${options.name}.log`), { flags: 'a' });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(handle);
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  // `ip netns exec` execs the command: this pid is the command's own, so a signal reaches it directly.
  const handle: HostProcess = { name: options.name, pid: child.pid, child, exited, tail: () => lines.join('\n') };
  running.add(handle);
  return handle;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stop(proc: HostProcess, graceMs = 5_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((p) => stop(p, 3_000)));
}
