// Which store a gateway opens: PostgreSQL when a database URL is given (BASCULE_DATABASE_URL, or the
// variable the config's `store.databaseUrlEnv` names), else the embedded SQLite file.
import { join, resolve } from 'node:path';
import { PostgresStore } from './postgres/store.ts';
import { SqliteStore } from './sqlite/store.ts';
import type { GatewayStore } from './types.ts';

export interface StoreChoice {
  /** PostgreSQL connection URL; wins when set. */
  databaseUrl?: string;
  /** SQLite file or `:memory:` (default `<dataDir>/bascule.db`). */
  sqlitePath?: string;
  dataDir: string;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export async function openStore(choice: StoreChoice): Promise<GatewayStore> {
  if (choice.databaseUrl) {
    return PostgresStore.open({ connectionString: choice.databaseUrl, connectTimeoutMs: choice.connectTimeoutMs, queryTimeoutMs: choice.queryTimeoutMs });
  }
  return new SqliteStore(choice.sqlitePath ?? join(resolve(choice.dataDir), 'bascule.db'));
}
