// `npm run start:replicas`: two gateways sharing one PostgreSQL database, as production runs them behind a
// load balancer, with the lab behind both and a simulated class split between them. For a developer to
// watch the replica semantics: a weight change through one gateway routes on the other within 2 s, one of
// them holds the lease and runs the analysis loop (its /healthz says so), stopping it hands the loop over.
//
// Environment: BASCULE_DATABASE_URL (required: a PostgreSQL database, e.g.
// postgres://bascule:bascule@127.0.0.1:5432/bascule, created beforehand), BASCULE_PORT (first gateway, 4000;
// the second takes the next port), BASCULE_LAB_PORT (4010), BASCULE_ADMIN_TOKEN, BASCULE_CLIENT_KEY,
// BASCULE_STUDENTS (simulated class, 30; 0 = no traffic), BASCULE_LOG_LEVEL (warn).
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng, startLab, startTraffic, type Lab, type Traffic } from '@bascule/lab';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GATEWAY_ENTRY = resolve(ROOT, 'apps/gateway/src/index.ts');

interface GatewayModule {
  startGateway(options: { loaded: unknown; host: string; port: number; databaseUrl: string; logger?: unknown }): Promise<{
    url: string;
    close(): Promise<void>;
    gateway: { lease: { describe(): { held: boolean; holder: string } } };
  }>;
  localConfig(input: { labUpstreams: Lab['upstreams']; env: NodeJS.ProcessEnv; port?: number }): unknown;
  LOCAL_CLIENT_KEY: string;
  LOCAL_ADMIN_TOKEN: string;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65534) throw new Error(`${name}: expected a port from 1 to 65534, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BASCULE_DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('BASCULE_DATABASE_URL: expected the URL of a PostgreSQL database both gateways share, e.g. postgres://bascule:bascule@127.0.0.1:5432/bascule');
  }
  const first = port('BASCULE_PORT', 4000);
  const students = Number(process.env.BASCULE_STUDENTS ?? 30);
  const logger = { level: process.env.BASCULE_LOG_LEVEL || 'warn' };
  const gw = (await import(pathToFileURL(GATEWAY_ENTRY).href)) as GatewayModule;
  const closers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (in-flight requests finish, rollups are written, the lease is handed back)…`);
    setTimeout(() => process.exit(1), 20_000).unref();
    for (const close of closers.reverse()) await close().catch((error: unknown) => console.error(`while stopping: ${(error as Error).message}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const lab = await startLab({ controlPort: port('BASCULE_LAB_PORT', 4010) });
  closers.push(() => lab.close());
  const loaded = () => gw.localConfig({ labUpstreams: lab.upstreams, env: process.env });
  const replicas = [];
  for (const p of [first, first + 1]) {
    const started = await gw.startGateway({ loaded: loaded(), host: '127.0.0.1', port: p, databaseUrl, logger });
    closers.push(() => started.close());
    replicas.push(started);
  }
  const traffic: Traffic[] = [];
  if (Number.isInteger(students) && students > 0) {
    for (const [i, r] of replicas.entries()) {
      const t = startTraffic({ gatewayUrl: r.url, clientKey: process.env.BASCULE_CLIENT_KEY || gw.LOCAL_CLIENT_KEY, students: Math.ceil(students / 2), ratePerSecond: 1, rng: createRng(i + 1) });
      traffic.push(t);
      closers.push(() => t.stop());
    }
  }
  const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
  const adminToken = process.env.BASCULE_ADMIN_TOKEN ? '$BASCULE_ADMIN_TOKEN' : gw.LOCAL_ADMIN_TOKEN;
  console.log(
    [
      '',
      'Two Bascule gateways on one PostgreSQL database.',
      '',
      `  lab control API   ${lab.controlUrl}/lab/v1/upstreams`,
      `  gateway A         ${a.url}   (/healthz tells which one leads the analysis loop)`,
      `  gateway B         ${b.url}`,
      `  dashboards        ${a.url}/dashboard/  ${b.url}/dashboard/  (when built: npx nx run dashboard:build)`,
      `  database          ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`,
      `  simulated class   ${traffic.length ? `${students} students, half on each gateway` : 'off (BASCULE_STUDENTS=0)'}`,
      '',
      'Try: change a weight through A, read it back through B:',
      `  curl -s -X PUT ${a.url}/admin/v1/components/llm/weight -H 'Authorization: Bearer ${adminToken}' -H 'Content-Type: application/json' -d '{"weight":50,"reason":"try"}'`,
      `  curl -s ${b.url}/admin/v1/components/llm -H 'Authorization: Bearer ${adminToken}'`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
