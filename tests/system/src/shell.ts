// Runs a command to completion with a timeout; a non-zero exit is an error carrying the command and stderr.
import { execFile } from 'node:child_process';

export interface ShellResult {
  stdout: string;
  stderr: string;
}

export function sh(command: string, args: readonly string[], options: { timeoutMs?: number; allowFailure?: boolean } = {}): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: options.timeoutMs ?? 20_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** `ip netns exec <ns> <command> ...args`. */
export function inNamespace(ns: string, command: string, args: readonly string[], options?: { timeoutMs?: number; allowFailure?: boolean }): Promise<ShellResult> {
  return sh('ip', ['netns', 'exec', ns, command, ...args], options);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await sleep(everyMs);
  }
}
