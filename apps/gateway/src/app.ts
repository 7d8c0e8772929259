// Composition root: Fastify + the public API (src/public) + the admin API + /healthz, /readyz, /metrics,
// over one store (SQLite, or PostgreSQL shared by replicas) and one migration runtime. The lease starts the
// analysis loop on this gateway when it wins it and stops it when it loses it; the state sync routes other
// replicas' changes. `close()` stops taking requests, lets in-flight ones finish, writes the rollups, hands
// the lease back and closes the store.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerOptions, Clock } from '@bascule/routing';
import { costModelFromConfig, costPlan, providerPairs, type GatewayConfig } from '@bascule/contracts';
import { notifierFromConfig } from './notify/index.ts';
import { registerAdminApi, type StreamOptions } from './admin/index.ts';
import { localConfig, type LoadedConfig } from './config/index.ts';
import { Migrations, plansFromConfig } from './migration/index.ts';
import { PostgresStore, StoreHealth, openStore, trackHealth, type GatewayStore } from './store/index.ts';
import { LocalLease, type Lease } from './coordination/lease.ts';
import { PostgresLease } from './coordination/postgres-lease.ts';
import { PostgresStateSync } from './coordination/state-sync.ts';
import { ReplicaHeartbeat, ReplicaWatch, replicasView } from './coordination/replicas.ts';
import { registerPublicApi } from './public/index.ts';
import { createAdapters, createHostPools } from './adapters/index.ts';
import { CapacityForecaster, parallelSlotsOf } from './capacity/index.ts';
import { LOG_REDACT } from './http/redact.ts';
import { registerCors } from './http/cors.ts';
import { createGatewayMetrics } from './metrics/index.ts';
import { watchLoopHealth } from './metrics/loop-health.ts';
import { createStudentHasher } from './http/student.ts';
import { registerRootErrors, ROOT_ERROR_OPTIONS } from './http/root-errors.ts';
import { registerMetricsEndpoint } from './http/metrics-endpoint.ts';
import type { AccessOptions } from './admin/access.ts';
import { registerShadowMetrics, ShadowControl, ShadowFlusher, ShadowRunner, ShadowScores, ShadowSettings } from './shadow/index.ts';

export interface GatewayOptions {
  /** Config and secrets (from `loadConfigFile` or `localConfig`); the lab defaults when omitted. */
  loaded?: LoadedConfig;
  /** SQLite file, or `:memory:`. Default: `<dataDir>/bascule.db`. */
  storePath?: string;
  /**
   * PostgreSQL URL: several gateways share the state. Default: BASCULE_DATABASE_URL, else the variable
   * the config's store.databaseUrlEnv names; without one, the SQLite file. `null` forces SQLite.
   */
  databaseUrl?: string | null;
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
  /** Where the Cloudflare Access certificates are fetched (tests); default the configured team domain's. */
  access?: AccessOptions;
  /** This gateway's name among the replicas (default BASCULE_REPLICA_ID, else host:pid). */
  replicaId?: string;
  /** Watch the other replicas' heartbeats while holding the lease (default: as `analysisLoop`). */
  replicaWatch?: boolean;
  /** The shadow comparison's sampling randomness (tests); default Math.random. */
  shadowRandom?: () => number;
}

export interface Gateway {
  app: FastifyInstance;
  runtime: Migrations;
  store: GatewayStore;
  storeHealth: StoreHealth;
  lease: Lease;
  heartbeat: ReplicaHeartbeat;
  replicaWatch: ReplicaWatch;
  registry: Registry;
  config: GatewayConfig;
  /** The shadow comparison: its runner (settings, counts, calls in flight) and the flush of its scores. */
  shadow: { runner: ShadowRunner; flusher: ShadowFlusher };
  /** The separate /metrics listener's URL when `metrics.host`/`port` are set and it listens; else null. */
  metricsUrl(): string | null;
  close(): Promise<void>;
}

const DEFAULT_DASHBOARD = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const loaded = options.loaded ?? localConfig();
  const { config, secrets } = loaded;
  const dataDir = options.dataDir ?? process.env.BASCULE_DATA_DIR ?? config.store.dataDir;
  // An explicit SQLite path means SQLite; otherwise the environment and the config decide.
  const databaseUrl = options.databaseUrl === undefined ? (options.storePath === undefined ? databaseUrlFrom(config, process.env) : undefined) : (options.databaseUrl ?? undefined);
  const raw = await openStore({
    databaseUrl,
    sqlitePath: options.storePath ?? join(resolve(dataDir), 'bascule.db'),
    dataDir,
    connectTimeoutMs: config.store.connectTimeoutMs,
    queryTimeoutMs: config.store.queryTimeoutMs,
  });
  const storeHealth = new StoreHealth();
  const store = trackHealth(raw, storeHealth);
  const app = Fastify({
    logger: withRedaction(options.logger ?? { level: 'info' }),
    bodyLimit: config.server.bodyLimits.jsonBytes,
    return503OnClosing: true,
    ...ROOT_ERROR_OPTIONS,
  });
  registerRootErrors(app);
  let closing = false;
  const lease: Lease = raw instanceof PostgresStore ? new PostgresLease({ pool: raw.pool, ttlMs: config.store.lease.ttlMs, renewMs: config.store.lease.renewMs, log: app.log }) : new LocalLease();
  // One pool of hosts per provider, shared by the adapters, /metrics and the admin views.
  const hostPools = createHostPools(config, options.clock);
  const clock = options.clock;
  // Told only from the analysis loop, which one gateway runs: replicas never repeat a notification.
  const channels = notifierFromConfig(config, { env: secrets.notificationEnv, log: app.log, ...(clock ? { now: () => clock.now() } : {}) });
  const costModel = costModelFromConfig(config);
  const runtime = await Migrations.create({
    store,
    fence: () => lease.fence(),
    flushIntervalMs: config.store.flushIntervalMs,
    maxPendingRollups: config.store.maxPendingRollups,
    plans: plansFromConfig(config),
    clock: options.clock,
    windowMs: options.windowMs,
    costModel,
    intervalMs: config.analysis.intervalMs,
    breaker: options.breaker,
    channels,
    log: app.log,
    hostHealth: (provider) => hostPools.get(provider)?.health(),
    capacity: new CapacityForecaster(hostPools, (provider) => parallelSlotsOf(config, provider)),
  });

  const shadowRunner = new ShadowRunner({
    settings: new ShadowSettings(Object.fromEntries(Object.entries(config.components).map(([c, settings]) => [c, settings.shadow]))),
    runtime: runtime.routing,
    scores: new ShadowScores(),
    costModel,
    ...(clock ? { clock } : {}),
    ...(options.shadowRandom ? { random: options.shadowRandom } : {}),
    log: app.log,
  });
  const shadowFlusher = new ShadowFlusher(store, shadowRunner.scores, clock ?? { now: () => Date.now() }, config.store.flushIntervalMs, app.log);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerRolloutGauges(registry, runtime);
  registerStoreMetrics(registry, runtime, storeHealth, lease);
  registerShadowMetrics(registry, shadowRunner, runtime.components());
  const metrics = createGatewayMetrics(registry);
  metrics.watchHosts(hostPools.values());
  const loopHealth = watchLoopHealth(registry);

  // While closing, answers end their keep-alive connection so the server can close once they are sent.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  registerCors(app, { allowedOrigins: config.server.cors.allowedOrigins });
  const heartbeat = new ReplicaHeartbeat(store, { id: options.replicaId ?? process.env.BASCULE_REPLICA_ID ?? `${hostname()}:${process.pid}`, address: null, startedAt: Date.now() }, config.store.replicas.heartbeatMs, app.log);
  const { downAfterMs } = config.store.replicas;
  const replicaWatch = new ReplicaWatch({ store, self: heartbeat.identity.id, downAfterMs, intervalMs: config.store.replicas.heartbeatMs, notify: (n) => channels.notify(n), log: app.log });
  // Alive and routing even with the store away: degraded says so, and why, without failing the probe.
  app.get('/healthz', async () => {
    const s = storeHealth.view();
    return { status: s.ok ? 'ok' : 'degraded', replica: heartbeat.identity.id, store: { engine: raw.engine, ...s }, lease: lease.describe() };
  });
  // A gateway that routes is ready: the store is not on the request path, so its loss does not count here.
  app.get('/readyz', async (_request, reply) => {
    const ready = store.open && !closing;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', store: store.open ? 'open' : 'closed', config: loaded.source });
  });
  const metricsEndpoint = registerMetricsEndpoint(app, registry, config.metrics);

  const shadowControl = new ShadowControl({ runner: shadowRunner, store, state: (c) => runtime.state(c), ...(clock ? { clock } : {}) });
  await registerAdminApi(app, { runtime, store, ...(clock ? { now: () => clock.now() } : {}), adminToken: secrets.adminToken, config, stream: options.stream, shadow: shadowControl, costPlan: costPlan(costModel, providerPairs(config.components)), replicas: async () => replicasView(await store.replicas(Date.now()), heartbeat.identity.id, downAfterMs), ...(options.access ? { access: options.access } : {}) });

  {
    // Without a configured key, a per-process one: hashes stay unlinkable to ids, but change on restart.
    const hashKey = secrets.studentHashKey ?? randomBytes(32).toString('hex');
    await registerPublicApi(app, {
      config,
      runtime: runtime.routing,
      metrics,
      hashStudentId: createStudentHasher(hashKey),
      clientKeys: secrets.clientKeys.map((k) => k.key),
      clientKeyNames: secrets.clientKeys,
      providerApiKeys: secrets.providerApiKeys,
      adapters: createAdapters(config, secrets.providerApiKeys, hostPools),
      ratings: runtime.ratings,
      shadow: shadowRunner,
    });
  }

  const dashboardDir = options.dashboardDir === undefined ? DEFAULT_DASHBOARD : options.dashboardDir;
  if (dashboardDir && existsSync(join(dashboardDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: dashboardDir, prefix: '/dashboard/', decorateReply: false });
    app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/'));
  }

  runtime.startFlushing();
  shadowFlusher.start();
  const sync =
    raw instanceof PostgresStore
      ? new PostgresStateSync({ store: raw, loadStates: () => store.loadStates(), events: (q) => store.events(q), target: runtime, refreshMs: config.store.syncIntervalMs, log: app.log })
      : null;
  sync?.start();
  heartbeat.start();
  const analysisLoop = options.analysisLoop ?? true;
  const watchReplicas = options.replicaWatch ?? analysisLoop;
  lease.start({
    onAcquired: () => {
      if (analysisLoop) runtime.start();
      if (watchReplicas) replicaWatch.start();
    },
    onLost: () => {
      void runtime.stopAnalysis();
      void replicaWatch.stop();
    },
  });
  // After the server has closed (in-flight requests answered): hand the lease back, write the rollups, close.
  app.addHook('onClose', async () => {
    await lease.stop();
    await replicaWatch.stop();
    await heartbeat.stop();
    await sync?.stop();
    // The shadow calls still running end (each within its deadline), so their cost is in the last rollups.
    shadowFlusher.stop();
    await shadowRunner.settled();
    await shadowFlusher.flush(true).catch(() => undefined);
    try {
      await runtime.stop();
    } catch (error) {
      app.log.error({ err: error instanceof Error ? error.message : String(error), pending: runtime.dropped }, 'last rollups not written: store unreachable');
    }
    await channels.close();
    await store.close();
    await Promise.all([...hostPools.values()].map((pool) => pool.close()));
    loopHealth.stop();
  });

  let closed: Promise<void> | null = null;
  return {
    app,
    runtime,
    store,
    storeHealth,
    lease,
    heartbeat,
    replicaWatch,
    registry,
    config,
    shadow: { runner: shadowRunner, flusher: shadowFlusher },
    metricsUrl: metricsEndpoint.url,
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
  /** The listener's accept queue; LISTEN_BACKLOG by default. */
  backlog?: number;
}

/**
 * The public listener's accept queue (listen(2)'s backlog; Linux caps it at net.core.somaxconn, 4096 by
 * default since kernel 5.4, containers included). With Node's default of 511, 1 000 clients connecting at
 * once overflowed it: the kernel dropped the handshakes it could not queue, the clients waited for SYN
 * retransmits (1 s, 3 s, 7 s…) and past their own timeout counted errors (docs/benchmarks.md, issue 17).
 */
export const LISTEN_BACKLOG = 4096;

/** Creates the gateway and listens (127.0.0.1 and a free port by default). */
export async function startGateway(options: StartOptions = {}): Promise<{ url: string; close(): Promise<void>; gateway: Gateway }> {
  const gateway = await createGateway(options);
  const address = await gateway.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, backlog: options.backlog ?? LISTEN_BACKLOG });
  gateway.heartbeat.setAddress(address);
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

/** The database URL from BASCULE_DATABASE_URL, else from the variable the config names; undefined for SQLite. */
export function databaseUrlFrom(config: GatewayConfig, env: NodeJS.ProcessEnv): string | undefined {
  const url = env.BASCULE_DATABASE_URL ?? (config.store.databaseUrlEnv === undefined ? undefined : env[config.store.databaseUrlEnv]);
  return url === undefined || url === '' ? undefined : url;
}

/** The store's reachability, the lease, and what was dropped past the in-memory bound while the store was away. */
function registerStoreMetrics(registry: Registry, runtime: Migrations, health: StoreHealth, lease: Lease): void {
  new Gauge({
    name: 'bascule_store_up',
    help: 'Whether the state store answered the last call (1) or not (0).',
    registers: [registry],
    collect() {
      this.set(health.isOk ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bascule_analysis_leader',
    help: 'Whether this gateway holds the lease and runs the analysis loop (1) or not (0).',
    registers: [registry],
    collect() {
      this.set(lease.held ? 1 : 0);
    },
  });
  let reported = 0;
  new Counter({
    name: 'bascule_rollup_attempts_dropped_total',
    help: 'Attempts whose per-minute rollups were dropped because the store was away longer than the in-memory bound.',
    registers: [registry],
    collect() {
      const now = runtime.dropped.attempts;
      if (now > reported) this.inc(now - reported);
      reported = now;
    },
  });
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
