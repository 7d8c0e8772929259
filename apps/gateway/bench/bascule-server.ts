// Bascule for the benchmark: every provider at the fixed-latency upstream, llm at 100 % production
// weight, a throw-away store, no request logging. Prints its URL as one JSON line on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';

const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1';
const loaded = localConfig({ baseUrlFor: () => upstream, rateLimitPerMinute: 100_000_000, env: { BASCULE_CLIENT_KEY: 'bench-client-key', BASCULE_ADMIN_TOKEN: 'bench-admin-token' } });
const { url, gateway, close } = await startGateway({
  loaded,
  storePath: join(mkdtempSync(join(tmpdir(), 'bascule-bench-')), 'bascule.db'),
  logger: false,
  dashboardDir: null,
});
gateway.runtime.setWeight('llm', 100, 'benchmark: everybody on the production provider');
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => void close().then(() => process.exit(0)));
