// Bascule for the benchmark: every provider at the fixed-latency upstream, llm at 100 % production
// weight (LLM_WEIGHT), a throw-away store, no request logging. SHADOW_RATE=0.1 turns the shadow comparison
// on for llm at that rate, with no budget or concurrency limit in the way (it shadows MVP-served requests
// only: run it with LLM_WEIGHT=0). Listens with the same accept queue as the other targets
// (BACKLOG, default 4096). Prints its URL as one JSON line on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { DEFAULT_SHADOW } from '@bascule/contracts';

const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1';
const loaded = localConfig({ baseUrlFor: () => upstream, rateLimitPerMinute: 100_000_000, env: { BASCULE_CLIENT_KEY: 'bench-client-key', BASCULE_ADMIN_TOKEN: 'bench-admin-token' } });
// The benchmark sends every request as one student: lift the per-student limit with the per-key one.
loaded.config.auth.studentRateLimitPerMinute = 100_000_000;
const weight = Number(process.env.LLM_WEIGHT ?? 100);
const shadowRate = process.env.SHADOW_RATE === undefined || process.env.SHADOW_RATE === '' ? null : Number(process.env.SHADOW_RATE);
if (shadowRate !== null) loaded.config.components.llm!.shadow = { ...DEFAULT_SHADOW, enabled: true, sampleRate: shadowRate, maxPerMinute: 100_000_000, maxConcurrent: 1_000 };
const gateway = await createGateway({
  loaded,
  storePath: join(mkdtempSync(join(tmpdir(), 'bascule-bench-')), 'bascule.db'),
  logger: false,
  dashboardDir: null,
});
const url = await gateway.app.listen({ host: '127.0.0.1', port: 0, backlog: Number(process.env.BACKLOG ?? 4096) });
if (weight > 0) await gateway.runtime.setWeight('llm', weight, 'benchmark: students on the production provider', 'admin', { reason: 'a benchmark, not a migration' });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
