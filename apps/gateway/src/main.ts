// `npx nx serve gateway`: reads the config file (--config or BASCULE_CONFIG), or, without one, the local
// config that points every provider at the lab. A bad config is reported by path and exits 1.
// SIGINT / SIGTERM: stop accepting, let in-flight requests finish, hand the lease back, write the rollups,
// close the store, exit 0. BASCULE_DATABASE_URL (or the config's store.databaseUrlEnv) selects PostgreSQL.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayConfigError } from '@bascule/contracts';
import { startGateway } from './app.ts';
import { LOCAL_ADMIN_TOKEN, LOCAL_CLIENT_KEY, configPathFrom, discoverLabUpstreams, loadConfigFile, localConfig, type LoadedConfig } from './config/index.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The config file when one is named; otherwise the local config, pointed at the running lab. */
async function load(): Promise<LoadedConfig> {
  const path = configPathFrom(process.argv.slice(2), process.env);
  if (path !== undefined) return loadConfigFile(path);
  const controlUrl = process.env.BASCULE_LAB_URL ?? `http://127.0.0.1:${process.env.BASCULE_LAB_PORT ?? '4010'}`;
  try {
    return localConfig({ labUpstreams: await discoverLabUpstreams(controlUrl) });
  } catch (error) {
    process.stderr.write(`no lab at ${controlUrl} (${(error as Error).message}): start it with \`npx nx serve lab\` or use \`npm start\`; providers will be unreachable\n`);
    return localConfig({ labBaseUrl: controlUrl });
  }
}

async function main(): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = await load();
  } catch (error) {
    if (error instanceof GatewayConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const local = loaded.source === 'local';
  const port = process.env.BASCULE_PORT !== undefined ? Number(process.env.BASCULE_PORT) : local ? 4000 : loaded.config.server.port;
  const host = process.env.BASCULE_HOST ?? (local ? '127.0.0.1' : loaded.config.server.host);
  const dataDir = process.env.BASCULE_DATA_DIR ?? (local ? resolve(REPO_ROOT, '.data') : loaded.config.store.dataDir);
  // A stable name across restarts, so a replica that comes back is told as back (BASCULE_REPLICA_ID wins).
  const replicaId = process.env.BASCULE_REPLICA_ID ?? `${hostname()}:${port}`;
  const { url, close, gateway } = await startGateway({ loaded, host, port, dataDir, replicaId });
  const store = gateway.store.engine === 'postgres' ? { store: 'postgres' } : { store: 'sqlite', dataDir };
  gateway.app.log.info({ url, config: loaded.source, ...store }, 'gateway listening');
  if (local) {
    const clientKey = process.env.BASCULE_CLIENT_KEY ? '(from BASCULE_CLIENT_KEY)' : LOCAL_CLIENT_KEY;
    const adminToken = process.env.BASCULE_ADMIN_TOKEN ? '(from BASCULE_ADMIN_TOKEN)' : LOCAL_ADMIN_TOKEN;
    process.stdout.write(`Bascule gateway: ${url}\n  admin API: ${url}/admin/v1 (token ${adminToken})\n  client key: ${clientKey}\n  dashboard: ${url}/dashboard/\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
