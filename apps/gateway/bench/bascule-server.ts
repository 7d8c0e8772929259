// Bascule for the benchmark: every provider at the fixed-latency upstream, llm at 100 % production
// weight, a throw-away store, no request logging. Listens with the same accept queue as the other targets
// (BACKLOG), by default the gateway's own (LISTEN_BACKLOG, 4096). Prints its URL as one JSON line on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, LISTEN_BACKLOG } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';

const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1';
const loaded = localConfig({ baseUrlFor: () => upstream, rateLimitPerMinute: 100_000_000, env: { BASCULE_CLIENT_KEY: 'bench-client-key', BASCULE_ADMIN_TOKEN: 'bench-admin-token' } });
// The benchmark sends every request as one student: lift the per-student limit with the per-key one.
loaded.config.auth.studentRateLimitPerMinute = 100_000_000;
const gateway = await createGateway({
  loaded,
  storePath: join(mkdtempSync(join(tmpdir(), 'bascule-bench-')), 'bascule.db'),
  logger: false,
  dashboardDir: null,
});
const url = await gateway.app.listen({ host: '127.0.0.1', port: 0, backlog: Number(process.env.BACKLOG ?? LISTEN_BACKLOG) });
await gateway.runtime.setWeight('llm', 100, 'benchmark: everybody on the production provider', 'admin', { reason: 'a benchmark, not a migration' });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
