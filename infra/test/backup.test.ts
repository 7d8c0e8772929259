// The database backup and its restore, for real: PostgreSQL (BASCULE_TEST_DATABASE_URL, an admin URL) and
// restic (Debian's package) with a local repository standing in for the object storage. pg-backup.sh dumps
// a database holding gateway-like state into the encrypted repository; pg-restore.sh replays it into an
// empty database, which then holds the same state.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTS_DIR } from '../src/remote.ts';

const ADMIN_URL = process.env.BASCULE_TEST_DATABASE_URL;
const suffix = randomBytes(4).toString('hex');
const source = `bascule_backup_src_${suffix}`;
const target = `bascule_backup_dst_${suffix}`;
const urlOf = (database: string) => {
  const url = new URL(ADMIN_URL!);
  url.pathname = `/${database}`;
  return url.toString();
};
const psql = (url: string, sql: string) => execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-qAt', '--dbname', url, '-c', sql], { encoding: 'utf8' });

/** The state a gateway keeps: its migrations' transitions and the audit log (enough to compare). */
const STATE_SQL = `
CREATE TABLE transitions (component text PRIMARY KEY, status text NOT NULL, weight numeric NOT NULL, step int NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, component text, reason text, detail jsonb);
INSERT INTO transitions VALUES ('llm', 'production', 100, 3, '2026-11-30T10:00:00Z'), ('stt', 'rollback', 0, 1, '2026-12-01T08:30:00Z');
INSERT INTO events (at, actor, component, reason, detail) VALUES
  ('2026-11-30T10:00:00Z', 'ops@example.org', 'llm', 'promote', '{"from": 50, "to": 100}'),
  ('2026-12-01T08:30:00Z', 'analysis', 'stt', 'p95 over 2000 ms', '{"from": 10, "to": 0}');`;
const SNAPSHOT_SQL = `SELECT json_build_object('transitions', (SELECT json_agg(t ORDER BY component) FROM transitions t), 'events', (SELECT json_agg(e ORDER BY id) FROM events e))::text`;

let dir = '';
let envFile = '';

beforeAll(() => {
  if (!ADMIN_URL) {
    throw new Error('BASCULE_TEST_DATABASE_URL is not set: export BASCULE_TEST_DATABASE_URL=postgres://bascule:bascule@127.0.0.1:5432/postgres (a PostgreSQL admin URL) to run the backup test');
  }
  const restic = spawnSync('restic', ['version'], { encoding: 'utf8' });
  if (restic.error) throw new Error('restic is missing: apt-get install restic (the backup tool the hosts use)');
  psql(ADMIN_URL, `CREATE DATABASE ${source}`);
  psql(ADMIN_URL, `CREATE DATABASE ${target}`);
  psql(urlOf(source), STATE_SQL);
  dir = mkdtempSync(join(tmpdir(), 'bascule-backup-'));
  envFile = join(dir, 'backup.env');
  writeFileSync(
    envFile,
    [`DATABASE_URL=${urlOf(source)}`, `RESTIC_REPOSITORY=${join(dir, 'repository')}`, 'RESTIC_PASSWORD=test-only-password', 'KEEP_HOURLY=2', 'KEEP_DAILY=1', 'KEEP_WEEKLY=0', 'KEEP_MONTHLY=0', 'BACKUP_HOST=gw-1', ''].join('\n'),
    { mode: 0o600 },
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (!ADMIN_URL) return;
  for (const database of [source, target]) psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

const run = (script: string, args: string[]) =>
  execFileSync('bash', [join(SCRIPTS_DIR, script), ...args], { encoding: 'utf8', env: { ...process.env, RESTIC_CACHE_DIR: join(dir, 'cache'), BASCULE_METRICS_DIR: join(dir, 'metrics') } });

describe('database backups', () => {
  it('pg-backup.sh stores an encrypted dump off the database; pg-restore.sh brings back the same state', () => {
    const before = psql(urlOf(source), SNAPSHOT_SQL);
    expect(run('pg-backup.sh', [envFile])).toContain('pg-backup: done');
    // The BackupMissing alert reads this metric.
    expect(readFileSync(join(dir, 'metrics', 'backup.prom'), 'utf8')).toMatch(/^bascule_backup_last_success_timestamp_seconds \d{10}$/m);
    // Encrypted at rest: the repository's files never hold the state in clear.
    const packs = execFileSync('find', [join(dir, 'repository', 'data'), '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
    expect(packs.length).toBeGreaterThan(0);
    for (const pack of packs) expect(readFileSync(pack).includes('ops@example.org')).toBe(false);

    // The state changes after the backup; the restore brings back the backed-up state, into another database.
    psql(urlOf(source), `UPDATE transitions SET weight = 50 WHERE component = 'llm'`);
    expect(run('pg-restore.sh', [envFile, 'latest', urlOf(target)])).toContain('pg-restore: latest restored');
    expect(psql(urlOf(target), SNAPSHOT_SQL)).toBe(before);
    // A restore over a database that already holds tables replaces them (pg_restore --clean).
    expect(run('pg-restore.sh', [envFile, 'latest', urlOf(target)])).toContain('restored');
    expect(psql(urlOf(target), SNAPSHOT_SQL)).toBe(before);
  });

  it('keeps only what the retention says', () => {
    for (let i = 0; i < 3; i++) run('pg-backup.sh', [envFile]);
    const snapshots = JSON.parse(execFileSync('restic', ['snapshots', '--json', '--tag', 'bascule-db'], { encoding: 'utf8', env: { ...process.env, RESTIC_REPOSITORY: join(dir, 'repository'), RESTIC_PASSWORD: 'test-only-password', RESTIC_CACHE_DIR: join(dir, 'cache') } })) as unknown[];
    // keep-hourly 2 (and daily 1, within those): the backups of one hour collapse into the newest ones.
    expect(snapshots.length).toBeLessThanOrEqual(2);
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(join(dir, 'repository')).sort()).toEqual(expect.arrayContaining(['config', 'data', 'index', 'keys', 'snapshots']));
  });
});
