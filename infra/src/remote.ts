// Running scripts on the host over SSH (@pulumi/command). Values are passed as quoted arguments, never
// through SSH environment variables (sshd refuses those by default); secrets only through stdin.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as command from '@pulumi/command';

export type Connection = command.types.input.remote.ConnectionArgs;

export const SCRIPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts');
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REMOTE_SCRIPTS = '/opt/bascule/scripts';

/** POSIX single-quoting. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The command line that runs one of infra/scripts on the host. The script's hash is part of the line, so
 * editing a script re-runs it on the next `pulumi up` (an update in place, not a replacement).
 */
export function scriptCommand(script: string, args: readonly string[], sudo: boolean): string {
  const hash = sha256(readFileSync(join(SCRIPTS_DIR, script), 'utf8')).slice(0, 12);
  const line = ['bash', `${REMOTE_SCRIPTS}/${script}`, ...args.map(shellQuote)].join(' ');
  return `${sudo ? 'sudo -n ' : ''}${line} # ${script}@${hash}`;
}
