// The engines the store suite runs on (Backstage's TestDatabases): an SQLite file, and a PostgreSQL database
// created for the test on the server BASCULE_TEST_DATABASE_URL names (an admin URL), dropped afterwards.
// Without that variable the PostgreSQL tests fail, saying how to set it: they are never skipped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, SqliteStore, type GatewayStore } from '../../src/store/index.ts';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  engine: Engine;
  /** Opens a store on this database; several may be open at once (replicas). */
  open(): Promise<GatewayStore>;
  /** PostgreSQL URL of this database (postgres only). */
  url?: string;
  drop(): Promise<void>;
}

export function adminDatabaseUrl(): string {
  const url = process.env.BASCULE_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'BASCULE_TEST_DATABASE_URL is not set: the PostgreSQL tests need a PostgreSQL 15 server and an admin URL, e.g. ' +
        'BASCULE_TEST_DATABASE_URL=postgres://bascule:bascule@127.0.0.1:5432/postgres (each test creates its own database and drops it)',
    );
  }
  return url;
}

/** A fresh, uniquely named PostgreSQL database; `drop` removes it (and only it). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = adminDatabaseUrl();
  const name = `bascule_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5_000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-store-'));
    const path = join(dir, 'bascule.db');
    return { engine, open: async () => new SqliteStore(path), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createPostgresDatabase();
  return { engine, url: db.url, open: () => PostgresStore.open({ connectionString: db.url }), drop: db.drop };
}
