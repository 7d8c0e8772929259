// A PostgreSQL cluster of the test's own, in the database host's namespace, run by the non-root `postgres`
// user from a temporary folder (initdb / pg_ctl). The machine's shared server is never touched.
import { chmod, chown, mkdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { POSTGRES_BIN } from './preflight.ts';
import { inNamespace, sh } from './shell.ts';

export interface TestPostgres {
  /** `postgres://bascule:…@10.213.0.30:5432/bascule` */
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it if running (cleanup: never throws). */
  destroy(): Promise<void>;
}

export async function createPostgres(options: { runDir: string; ns: string; host: string; port?: number }): Promise<TestPostgres> {
  const port = options.port ?? 5432;
  const dir = join(options.runDir, 'pg');
  const data = join(dir, 'data');
  const password = `systest-${Math.random().toString(36).slice(2, 12)}`;
  await mkdir(dir, { recursive: true });
  const { stdout } = await sh('id', ['-u', 'postgres']);
  const { stdout: gid } = await sh('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  await chmod(dir, 0o700);
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`);
  await chown(pwfile, Number(stdout.trim()), Number(gid.trim()));
  const asPostgres = (tool: string, args: string[], timeoutMs = 60_000) =>
    inNamespace(options.ns, 'runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, tool), ...args], { timeoutMs });
  await asPostgres('initdb', ['-D', data, '-U', 'bascule', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8']);
  await appendFile(join(data, 'pg_hba.conf'), `host all all ${options.host.split('.').slice(0, 3).join('.')}.0/24 scram-sha-256\n`);
  const settings = `-c listen_addresses=${options.host} -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=60 -c shared_buffers=32MB`;
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '30', 'start']);
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  };
  await start();
  await inNamespace(options.ns, 'runuser', ['-u', 'postgres', '--', join(POSTGRES_BIN, 'createdb'), '-h', dir, '-p', String(port), '-U', 'bascule', 'bascule']);
  return {
    url: `postgres://bascule:${password}@${options.host}:${port}/bascule`,
    start,
    stop,
    destroy: async () => {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop'], 15_000).catch(() => undefined);
    },
  };
}
