// What the failure test needs from the machine, checked before anything starts: each missing piece is an
// error that says what is missing and how to get it, so a run without them fails loudly instead of skipping.
import { access, constants } from 'node:fs/promises';
import { sh } from './shell.ts';

export const POSTGRES_BIN = process.env.BASCULE_SYSTEM_PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(command: string): Promise<boolean> {
  const { stdout } = await sh('sh', ['-c', `command -v ${command} || true`]);
  return stdout.trim() !== '';
}

/**
 * Throws one error listing every missing requirement. `uid` (this process's by default) and `postgresBin`
 * (POSTGRES_BIN) are what is judged.
 */
export async function preflight(options: { uid?: number; postgresBin?: string } = {}): Promise<void> {
  const problems: string[] = [];
  const uid = options.uid ?? process.getuid?.();
  const postgresBin = options.postgresBin ?? POSTGRES_BIN;
  if (process.platform !== 'linux') problems.push(`Linux network namespaces are needed; this is ${process.platform}`);
  if (uid !== 0) {
    problems.push(`root is needed to create network namespaces (ip netns add); running as uid ${uid}: run as root (CI does) or with sudo`);
  }
  if (!(await onPath('ip'))) problems.push('`ip` is missing: install Debian\'s iproute2 (apt-get install iproute2)');
  else if (problems.length === 0) {
    const probe = 'bsft-preflight';
    await sh('ip', ['netns', 'del', probe], { allowFailure: true });
    try {
      await sh('ip', ['netns', 'add', probe]);
      await sh('ip', ['netns', 'exec', probe, 'ip', 'link', 'set', 'lo', 'up']);
    } catch (error) {
      problems.push(`\`ip netns\` does not work here (${(error as Error).message}); the container needs CAP_SYS_ADMIN and CAP_NET_ADMIN`);
    } finally {
      await sh('ip', ['netns', 'del', probe], { allowFailure: true });
    }
  }
  if (!(await onPath('haproxy'))) problems.push('`haproxy` is missing: install Debian\'s haproxy (apt-get install haproxy); it stands in for the edge load balancer');
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!(await executable(`${postgresBin}/${tool}`))) {
      problems.push(`${postgresBin}/${tool} is missing: install Debian's postgresql-15 (or set BASCULE_SYSTEM_PG_BIN to the folder of initdb and pg_ctl)`);
    }
  }
  if (!(await onPath('runuser'))) problems.push('`runuser` is missing (util-linux): PostgreSQL runs as the non-root user postgres');
  else {
    const { stdout } = await sh('id', ['-u', 'postgres'], { allowFailure: true });
    if (stdout.trim() === '') problems.push('there is no `postgres` user: PostgreSQL refuses to run as root; install Debian\'s postgresql package, which creates it');
  }
  if (problems.length > 0) {
    throw new Error(`the whole-system failure test cannot run on this machine:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
