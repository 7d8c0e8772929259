// The whole system of the failure test, brought up as devops would run it: the GPU host and the MVP host
// (lab stand-ins), a PostgreSQL host, two gateways reading one config file, and HAProxy in front.
// `close()` stops everything and deletes the namespaces and the run's folder; it never throws.
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Clients, type Replica } from './client.ts';
import { GATEWAY_PORT, GPU_UPSTREAMS, MVP_UPSTREAMS, SECRETS, gatewayConfig } from './gateway-config.ts';
import { backendServers, haproxyConfig, type Balancer } from './haproxy.ts';
import { createPostgres, type TestPostgres } from './postgres.ts';
import { preflight } from './preflight.ts';
import { startIn, stop, stopAll, type HostProcess } from './processes.ts';
import { sh, waitFor } from './shell.ts';
import { HOSTS, createTopology, sweep } from './topology.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUN_DIR_PREFIX = 'bascule-system-test-';

export interface SystemOptions {
  /** Multiplies the lab's simulated processing times. */
  latencyScale: number;
  log(line: string): void;
}

export interface System {
  runDir: string;
  balancer: Balancer;
  clients: Clients;
  postgres: TestPostgres;
  gateways: Record<Replica, HostProcess>;
  startGateway(replica: Replica): Promise<HostProcess>;
  /** True while the replica's process runs. */
  alive(replica: Replica): boolean;
  /** Waits until HAProxy's monitor sees the replica in the given state. */
  waitForBalancer(replica: Replica, status: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Run folders a crashed run left behind (their processes died with the namespaces). */
async function removeOldRunDirs(): Promise<number> {
  const old = (await readdir(tmpdir())).filter((name) => name.startsWith(RUN_DIR_PREFIX));
  await Promise.all(old.map((name) => rm(join(tmpdir(), name), { recursive: true, force: true })));
  return old.length;
}

export async function startSystem(options: SystemOptions): Promise<System> {
  await preflight();
  const leftovers = await sweep();
  const oldDirs = await removeOldRunDirs();
  options.log(`leftovers swept: ${leftovers.namespaces} namespaces, ${leftovers.processes} processes, ${oldDirs} run folders`);

  const runDir = await mkdtemp(join(tmpdir(), RUN_DIR_PREFIX));
  await chmod(runDir, 0o755); // the postgres user must reach its folder inside
  const logDir = join(runDir, 'logs');
  await mkdir(logDir);
  let postgres: TestPostgres | undefined;
  let clients: Clients | undefined;
  const close = async () => {
    if (process.env.BASCULE_SYSTEM_KEEP_LOGS) await sh('cp', ['-r', logDir, process.env.BASCULE_SYSTEM_KEEP_LOGS]).catch(() => undefined);
    await clients?.close().catch(() => undefined);
    await stopAll().catch(() => undefined);
    await postgres?.destroy().catch(() => undefined);
    await sweep().catch(() => undefined);
    await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
  };

  try {
    await createTopology();
    postgres = await createPostgres({ runDir, ns: HOSTS.db.ns, host: HOSTS.db.ip });
    options.log(`PostgreSQL on ${HOSTS.db.ip}:5432 (own cluster in ${runDir}/pg)`);

    const tsx = ['--import', 'tsx'];
    const labHost = join(REPO_ROOT, 'tests/system/src/hosts/lab-host.ts');
    const labEnv = { BASCULE_LAB_LATENCY_SCALE: String(options.latencyScale) };
    const assign = (ports: Record<string, number>) => Object.entries(ports).map(([name, port]) => `${name}=${port}`);
    const labs = [
      startIn({ name: 'gpu-host', ns: HOSTS.gpu.ns, command: process.execPath, args: [...tsx, labHost, HOSTS.gpu.ip, ...assign(GPU_UPSTREAMS)], env: labEnv, logDir, cwd: REPO_ROOT }),
      startIn({ name: 'mvp-host', ns: HOSTS.mvp.ns, command: process.execPath, args: [...tsx, labHost, HOSTS.mvp.ip, ...assign(MVP_UPSTREAMS)], env: labEnv, logDir, cwd: REPO_ROOT }),
    ];

    const configPath = join(runDir, 'gateway.json');
    await writeFile(configPath, JSON.stringify(gatewayConfig({ gpuHost: HOSTS.gpu.ip, mvpHost: HOSTS.mvp.ip, dataDir: join(runDir, 'data') }), null, 2));
    const gatewayMain = join(REPO_ROOT, 'apps/gateway/src/main.ts');
    const hostOf = { a: HOSTS.gatewayA, b: HOSTS.gatewayB } as const;
    const gateways = {} as Record<Replica, HostProcess>;
    const startGateway = async (replica: Replica) => {
      const host = hostOf[replica];
      const proc = startIn({
        name: `gateway-${replica}`,
        ns: host.ns,
        command: process.execPath,
        args: [...tsx, gatewayMain, '--config', configPath],
        env: {
          ...SECRETS,
          BASCULE_DATABASE_URL: postgres!.url,
          // Each replica's embedded store, used only by a gateway that cannot use PostgreSQL.
          BASCULE_DATA_DIR: join(runDir, `data-${replica}`),
          NODE_OPTIONS: '--max-semi-space-size=64',
        },
        logDir,
        cwd: REPO_ROOT,
      });
      gateways[replica] = proc;
      return proc;
    };
    await Promise.all([startGateway('a'), startGateway('b')]);

    const balancer = haproxyConfig(runDir, { a: `${HOSTS.gatewayA.ip}:${GATEWAY_PORT}`, b: `${HOSTS.gatewayB.ip}:${GATEWAY_PORT}` });
    const haproxyCfg = join(runDir, 'haproxy.cfg');
    await writeFile(haproxyCfg, balancer.config);
    const haproxy = startIn({ name: 'haproxy', ns: HOSTS.lb.ns, command: 'haproxy', args: ['-f', haproxyCfg, '-db'], logDir });
    clients = new Clients(balancer);

    const waitForBalancer = async (replica: Replica, status: 'UP' | 'DOWN', timeoutMs = 60_000) => {
      await waitFor(
        `HAProxy to see gateway ${replica} ${status}`,
        async () => {
          // The hosts that must never stop, and the gateway awaited UP; the other gateway may be down.
          const needed = [...labs, haproxy, ...(status === 'UP' ? [gateways[replica]] : [])];
          for (const p of needed) {
            if (p.child.exitCode !== null || p.child.signalCode !== null) {
              throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.tail()}`);
            }
          }
          const servers = await backendServers(balancer.statsSocket);
          return servers[replica]?.status.startsWith(status) ? true : undefined;
        },
        timeoutMs,
        250,
      );
    };
    await Promise.all([waitForBalancer('a', 'UP'), waitForBalancer('b', 'UP')]);
    options.log('gateways a and b ready behind HAProxy');
    const alive = (replica: Replica) => gateways[replica].child.exitCode === null && gateways[replica].child.signalCode === null;
    return { runDir, balancer, clients, postgres, gateways, startGateway, alive, waitForBalancer, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export { stop };
