// Composition root: Fastify + the public API (src/public) + the admin API + /healthz, /readyz, /metrics,
// over one store and one migration runtime. `close()` stops taking requests, lets in-flight ones finish,
// flushes the rollups and closes the store.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerOptions, Clock } from '@bascule/routing';
import { costModelFromConfig, costPlan, providerPairs, type GatewayConfig } from '@bascule/contracts';
import { notifierFromConfig } from './notify/index.ts';
import { registerAdminApi, type StreamOptions } from './admin/index.ts';
import { localConfig, type LoadedConfig } from './config/index.ts';
import { Migrations, plansFromConfig } from './migration/index.ts';
import { Store } from './store/index.ts';
import { registerPublicApi } from './public/index.ts';
import { LOG_REDACT } from './http/redact.ts';
import { registerCors } from './http/cors.ts';
import { createGatewayMetrics } from './metrics/index.ts';
import { createStudentHasher } from './http/student.ts';

export interface GatewayOptions {
  /** Config and secrets (from `loadConfigFile` or `localConfig`); the lab defaults when omitted. */
  loaded?: LoadedConfig;
  /** SQLite file, or `:memory:`. Default: `<dataDir>/bascule.db`. */
  storePath?: string;
  /** Default: BASCULE_DATA_DIR, else the config's store.dataDir. */
  dataDir?: string;
  clock?: Clock;
  /** Fastify's logger option (pino); default on at `info`. Credentials and student ids are always redacted. */
  logger?: FastifyServerOptions['logger'];
  /** Run the analysis loop on a timer (default true; tests call `runtime.tick(now)` instead). */
  analysisLoop?: boolean;
  /** Analysis window length (default 5 min). */
  windowMs?: number;
  breaker?: Partial<Omit<BreakerOptions, 'onStateChange'>>;
  stream?: Partial<StreamOptions>;
  /** Built dashboard to serve at /dashboard/ (default apps/dashboard/dist when it exists). */
  dashboardDir?: string | null;
}

export interface Gateway {
  app: FastifyInstance;
  runtime: Migrations;
  store: Store;
  registry: Registry;
  config: GatewayConfig;
  close(): Promise<void>;
}

const DEFAULT_DASHBOARD = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const loaded = options.loaded ?? localConfig();
  const { config, secrets } = loaded;
  const dataDir = options.dataDir ?? process.env.BASCULE_DATA_DIR ?? config.store.dataDir;
  const store = new Store(options.storePath ?? join(resolve(dataDir), 'bascule.db'));
  const app = Fastify({
    logger: withRedaction(options.logger ?? { level: 'info' }),
    bodyLimit: config.server.bodyLimits.jsonBytes,
    return503OnClosing: true,
  });
  let closing = false;
  const clock = options.clock;
  // Sent only from the analysis loop, which one gateway runs: replicas never repeat a notification.
  const notifier = notifierFromConfig(config, { env: secrets.notificationEnv, log: app.log, ...(clock ? { now: () => clock.now() } : {}) });
  const costModel = costModelFromConfig(config);
  const runtime = new Migrations({
    store,
    plans: plansFromConfig(config),
    clock: options.clock,
    windowMs: options.windowMs,
    costModel,
    intervalMs: config.analysis.intervalMs,
    breaker: options.breaker,
    notifier,
    log: app.log,
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerRolloutGauges(registry, runtime);
  const metrics = createGatewayMetrics(registry);

  // While closing, answers end their keep-alive connection so the server can close once they are sent.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  registerCors(app, { allowedOrigins: config.server.cors.allowedOrigins });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = store.open && !closing;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', store: store.open ? 'open' : 'closed', config: loaded.source });
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  await registerAdminApi(app, { runtime, adminToken: secrets.adminToken, stream: options.stream, costPlan: costPlan(costModel, providerPairs(config.components)) });

  {
    // Without a configured key, a per-process one: hashes stay unlinkable to ids, but change on restart.
    const hashKey = secrets.studentHashKey ?? randomBytes(32).toString('hex');
    await registerPublicApi(app, {
      config,
      runtime,
      metrics,
      hashStudentId: createStudentHasher(hashKey),
      clientKeys: secrets.clientKeys.map((k) => k.key),
      clientKeyNames: secrets.clientKeys,
      providerApiKeys: secrets.providerApiKeys,
    });
  }

  const dashboardDir = options.dashboardDir === undefined ? DEFAULT_DASHBOARD : options.dashboardDir;
  if (dashboardDir && existsSync(join(dashboardDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: dashboardDir, prefix: '/dashboard/', decorateReply: false });
    app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/'));
  }

  if (options.analysisLoop ?? true) runtime.start();
  app.addHook('onClose', async () => {
    await runtime.stop();
    await notifier.close();
    store.close();
  });

  let closed: Promise<void> | null = null;
  return {
    app,
    runtime,
    store,
    registry,
    config,
    close: () => {
      closing = true;
      closed ??= app.close();
      return closed;
    },
  };
}

export interface StartOptions extends GatewayOptions {
  host?: string;
  port?: number;
}

/** Creates the gateway and listens (127.0.0.1 and a free port by default). */
export async function startGateway(options: StartOptions = {}): Promise<{ url: string; close(): Promise<void>; gateway: Gateway }> {
  const gateway = await createGateway(options);
  const address = await gateway.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url: address, close: gateway.close, gateway };
}

/**
 * Every logger the gateway builds redacts credentials and the raw student id (LOG_REDACT): a caller's
 * logger options may set the level or the destination, never turn redaction off. `false` stays off. (Fastify 5
 * takes a ready-made pino instance only through `loggerInstance`, which createGateway does not pass on.)
 */
export function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  if (logger === true) return { level: 'info', redact: LOG_REDACT };
  return { ...logger, redact: LOG_REDACT };
}

/** Weight and status of every component, read when Prometheus scrapes. */
function registerRolloutGauges(registry: Registry, runtime: Migrations): void {
  new Gauge({
    name: 'bascule_rollout_weight_percent',
    help: 'Share of students in the production cohort, per component (percent).',
    labelNames: ['component'],
    registers: [registry],
    collect() {
      for (const c of runtime.components()) this.set({ component: c }, runtime.state(c).weight);
    },
  });
  new Gauge({
    name: 'bascule_rollout_status',
    help: 'Migration status per component: 1 for the current status, 0 for the others.',
    labelNames: ['component', 'status'],
    registers: [registry],
    collect() {
      for (const c of runtime.components()) {
        const status = runtime.state(c).status;
        for (const s of ['mvp', 'migrating', 'production', 'rollback']) this.set({ component: c, status: s }, s === status ? 1 : 0);
      }
    },
  });
}
