// HAProxy in the load balancer's namespace, standing in for Cloudflare Load Balancing: a monitor on each
// gateway's `/readyz`, a request that cannot connect retried on the other gateway (as Cloudflare does on
// origin connection errors), nothing retried once a gateway has it. Its frontends are Unix sockets in the
// run's folder, the way the test's clients reach the private subnet; `gateway-a.sock` / `gateway-b.sock`
// reach one gateway each (admin calls, and requests aimed at one replica).
import { connect } from 'node:net';
import { join } from 'node:path';

export interface Balancer {
  publicSocket: string;
  gatewaySockets: { a: string; b: string };
  statsSocket: string;
  config: string;
}

export function haproxyConfig(runDir: string, gateways: { a: string; b: string }): Balancer {
  const publicSocket = join(runDir, 'public.sock');
  const gatewaySockets = { a: join(runDir, 'gateway-a.sock'), b: join(runDir, 'gateway-b.sock') };
  const statsSocket = join(runDir, 'haproxy-stats.sock');
  const config = `
global
  log stdout format raw local0 info
  stats socket ${statsSocket} mode 600 level admin
  maxconn 4000

defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout queue 5s
  timeout check 2s
  retries 2
  option redispatch 1
  retry-on conn-failure
  option http-buffer-request

frontend public
  bind unix@${publicSocket}
  default_backend gateways

frontend direct_a
  bind unix@${gatewaySockets.a}
  default_backend gateway_a

frontend direct_b
  bind unix@${gatewaySockets.b}
  default_backend gateway_b

backend gateways
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server check inter 500ms fall 3 rise 2
  server a ${gateways.a}
  server b ${gateways.b}

backend gateway_a
  server a ${gateways.a}

backend gateway_b
  server b ${gateways.b}
`;
  return { publicSocket, gatewaySockets, statsSocket, config };
}

/** One command on HAProxy's runtime API (`show stat`, `show servers state`). */
export function haproxyCommand(statsSocket: string, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(statsSocket);
    let out = '';
    const timer = setTimeout(() => socket.destroy(new Error(`HAProxy runtime API: no answer to "${command}" in ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (out += chunk.toString('utf8')));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/**
 * Requests the balancer has handed to one gateway and not yet finished (its streams bound to that server,
 * from `show sess`): what a crash of that gateway can cost at most.
 */
export async function requestsOn(statsSocket: string, server: string): Promise<number> {
  const sessions = await haproxyCommand(statsSocket, 'show sess');
  return sessions.split('\n').filter((line) => line.includes(' be=gateways ') && line.includes(` srv=${server} `)).length;
}

export interface ServerStat {
  /** Requests being served by that server now (HAProxy's `scur`). */
  current: number;
  /** Requests handed to that server since the start (`stot`). */
  total: number;
  /** `UP`, `DOWN`, ... */
  status: string;
}

/** The `gateways` backend's servers as HAProxy sees them. */
export async function backendServers(statsSocket: string): Promise<Record<string, ServerStat>> {
  const csv = await haproxyCommand(statsSocket, 'show stat');
  const lines = csv.split('\n').filter(Boolean);
  const header = (lines[0] ?? '').replace(/^# /, '').split(',');
  const col = (name: string) => header.indexOf(name);
  const out: Record<string, ServerStat> = {};
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    if (fields[col('pxname')] !== 'gateways' || ['FRONTEND', 'BACKEND'].includes(fields[col('svname')] ?? '')) continue;
    out[fields[col('svname')] ?? '?'] = { current: Number(fields[col('scur')] ?? 0), total: Number(fields[col('stot')] ?? 0), status: fields[col('status')] ?? '?' };
  }
  return out;
}
