// `npm start`: Bascule on this machine with no account anywhere. Starts the lab (every upstream, with its
// real wire format), the gateway on the embedded SQLite store pointed at the lab, the dashboard (served by
// the gateway at /dashboard/, built on first start), and a class of simulated students; prints every URL
// and the local keys; stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
//
// Environment: BASCULE_PORT (gateway, 4000), BASCULE_LAB_PORT (lab control API, 4010), BASCULE_ADMIN_TOKEN,
// BASCULE_CLIENT_KEY, BASCULE_DATA_DIR (store folder, .data/), BASCULE_STUDENTS (simulated class, 30; 0 = no
// traffic), BASCULE_TRAFFIC_RATE (requests per second, 2), BASCULE_LAB_LATENCY_SCALE (1), BASCULE_LOG_LEVEL
// (gateway logs, warn), BASCULE_DASHBOARD_BUILD (0: never build the dashboard here).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng, startLab, startTraffic, type Lab, type Traffic } from '@bascule/lab';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GATEWAY_ENTRY = resolve(ROOT, 'apps/gateway/src/index.ts');
const DASHBOARD_DIR = resolve(ROOT, 'apps/dashboard');
const LOCAL_CLIENT_KEY = 'local-client-key';
const LOCAL_ADMIN_TOKEN = 'local-admin-token';

/** The part of @bascule/gateway this script uses, loaded at run time so the lab runs even without it. */
interface GatewayModule {
  startGateway(options: {
    loaded: unknown;
    host: string;
    port: number;
    dataDir: string;
    logger?: unknown;
  }): Promise<{ url: string; close(): Promise<void> }>;
  localConfig(input: { labUpstreams: Lab['upstreams']; env: NodeJS.ProcessEnv; port?: number; dataDir?: string }): unknown;
}

class SettingError extends Error {}

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new SettingError(`${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new SettingError(`${name}: expected a number ≥ ${min}, got "${raw}"`);
  return value;
}

function readSettings() {
  return {
    gatewayPort: intFromEnv('BASCULE_PORT', 4000, 0, 65535),
    labPort: intFromEnv('BASCULE_LAB_PORT', 4010, 0, 65535),
    students: intFromEnv('BASCULE_STUDENTS', 30, 0, 100_000),
    trafficRate: numberFromEnv('BASCULE_TRAFFIC_RATE', 2, 0.01),
    latencyScale: numberFromEnv('BASCULE_LAB_LATENCY_SCALE', 1, 0),
    dataDir: resolve(process.env.BASCULE_DATA_DIR || resolve(ROOT, '.data')),
    clientKey: process.env.BASCULE_CLIENT_KEY || LOCAL_CLIENT_KEY,
    adminToken: process.env.BASCULE_ADMIN_TOKEN || LOCAL_ADMIN_TOKEN,
    logLevel: process.env.BASCULE_LOG_LEVEL || 'warn',
  };
}

async function loadGateway(): Promise<GatewayModule | null> {
  if (!existsSync(GATEWAY_ENTRY)) return null;
  const module = (await import(pathToFileURL(GATEWAY_ENTRY).href)) as Partial<GatewayModule>;
  if (typeof module.startGateway !== 'function' || typeof module.localConfig !== 'function') {
    console.warn('apps/gateway does not export startGateway and localConfig: starting the lab only');
    return null;
  }
  return module as GatewayModule;
}

/** Builds the dashboard once (the gateway serves apps/dashboard/dist); false when it cannot. */
function ensureDashboardBuilt(): Promise<boolean> {
  if (!existsSync(resolve(DASHBOARD_DIR, 'package.json'))) return Promise.resolve(false);
  if (existsSync(resolve(DASHBOARD_DIR, 'dist/index.html'))) return Promise.resolve(true);
  if (process.env.BASCULE_DASHBOARD_BUILD === '0') return Promise.resolve(false);
  console.log('building the dashboard (first start only)…');
  return new Promise((done) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: DASHBOARD_DIR, stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.on('error', () => done(false));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) console.warn('the dashboard did not build: the gateway runs without it (npx nx run dashboard:build to retry)');
      done(code === 0 && existsSync(resolve(DASHBOARD_DIR, 'dist/index.html')));
    });
  });
}

function shown(value: string, envName: string, local: string): string {
  return value === local ? value : `(from ${envName})`;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const closers: (() => Promise<void>)[] = [];
  let stoppingSince = 0;
  const stop = async (signal: string) => {
    if (stoppingSince) {
      // The same Ctrl-C can arrive twice (the terminal's and the one tsx relays): only a later one forces.
      if (Date.now() - stoppingSince < 1500) return;
      console.log(`\n${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping (in-flight requests finish first)…`);
    const force = setTimeout(() => {
      console.error('still stopping after 20 s: exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => console.error(`while stopping: ${(error as Error).message}`));
    }
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const lab = await startLab({ controlPort: settings.labPort, latencyScale: settings.latencyScale });
  closers.push(() => lab.close());
  const lines = ['', 'Bascule is running on this machine.', '', `  lab control API   ${lab.controlUrl}/lab/v1/upstreams`];
  for (const upstream of Object.values(lab.upstreams)) lines.push(`    ${upstream.name.padEnd(16)}${upstream.baseUrl}`);

  const gatewayModule = await loadGateway();
  let traffic: Traffic | null = null;
  if (gatewayModule) {
    const dashboard = await ensureDashboardBuilt();
    const loaded = gatewayModule.localConfig({ labUpstreams: lab.upstreams, env: process.env, port: settings.gatewayPort, dataDir: settings.dataDir });
    const gateway = await gatewayModule.startGateway({
      loaded,
      host: '127.0.0.1',
      port: settings.gatewayPort,
      dataDir: settings.dataDir,
      logger: { level: settings.logLevel, redact: ['req.headers.authorization', 'req.headers["x-student-id"]'] },
    });
    closers.push(() => gateway.close());
    lines.push(
      '',
      `  gateway           ${gateway.url}   (public API /v1, health /healthz, metrics /metrics)`,
      `  admin API         ${gateway.url}/admin/v1`,
      dashboard ? `  dashboard         ${gateway.url}/dashboard/` : '  dashboard         not built (npx nx run dashboard:build)',
      `  store             ${settings.dataDir}`,
      '',
      `  client key        ${shown(settings.clientKey, 'BASCULE_CLIENT_KEY', LOCAL_CLIENT_KEY)}`,
      `  admin token       ${shown(settings.adminToken, 'BASCULE_ADMIN_TOKEN', LOCAL_ADMIN_TOKEN)}`,
    );
    if (settings.students > 0) {
      traffic = startTraffic({ gatewayUrl: gateway.url, clientKey: settings.clientKey, students: settings.students, ratePerSecond: settings.trafficRate, rng: createRng(Date.now() % 2 ** 31) });
      const current = traffic;
      closers.push(() => current.stop());
      lines.push('', `  simulated class   ${settings.students} students, ${settings.trafficRate} requests/s (BASCULE_STUDENTS=0 turns it off)`);
    }
    lines.push(
      '',
      'Try:',
      `  curl -s ${gateway.url}/v1/chat/completions -H 'Authorization: Bearer ${settings.clientKey === LOCAL_CLIENT_KEY ? LOCAL_CLIENT_KEY : '$BASCULE_CLIENT_KEY'}' -H 'X-Student-Id: eleve-001' \\`,
      `       -H 'Content-Type: application/json' -d '{"messages":[{"role":"user","content":"Un texte sur le chat"}]}'`,
      `  curl -s -X PUT ${lab.controlUrl}/lab/v1/upstreams/groq/fault -H 'Content-Type: application/json' -d '{"mode":"down"}'`,
    );
  } else {
    lines.push('', '  gateway           not available yet (apps/gateway): the lab runs alone');
  }
  lines.push('', 'Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));

  if (traffic) {
    const current = traffic;
    const report = setInterval(() => {
      const s = current.stats();
      const failed = Object.entries(s.byStatus).map(([status, n]) => `${status}×${n}`).join(' ');
      console.log(`traffic: ${s.completed} requests, ${s.ok} ok${failed ? `, ${failed}` : ''}${s.networkErrors ? `, ${s.networkErrors} unanswered` : ''}`);
    }, 30_000);
    report.unref();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof SettingError ? error.message : `could not start: ${(error as Error).stack ?? String(error)}`;
  console.error(message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE|address already in use/.test(String(error))) {
    console.error('a port is taken: set BASCULE_PORT / BASCULE_LAB_PORT to free ones');
  }
  process.exit(1);
});
