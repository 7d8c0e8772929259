// The gateway on one gateway host: its image (apps/gateway/Dockerfile), its config file generated from the
// stack, its environment file (the secrets, by name), and the TLS proxy (nginx) that terminates Cloudflare's
// connections with the Origin CA certificate, admits only Cloudflare's client certificate (Authenticated
// Origin Pulls), and forwards each host name's paths only: the public API on the API host name, the admin
// API and the dashboard on the admin host name. A change restarts the gateways one host at a time.
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { MONITOR } from './edge.ts';
import { ContainerService } from './services.ts';
import { REMOTE_SCRIPTS, shellQuote } from '../remote.ts';
import { SERVICE_IDS, SERVICE_USER, unitName } from '../units.ts';
import { GATEWAY_PORT } from '../gateway-config.ts';

export interface GatewayArgs {
  host: Host;
  bootstrap: Bootstrap;
  /** The config file's text (JSON), already validated. */
  configText: pulumi.Input<string>;
  /** The environment file's text: secrets. */
  envText: pulumi.Output<string>;
  originCertificatePem: pulumi.Input<string>;
  originPrivateKeyPem: pulumi.Input<string>;
  originPullCaPem: pulumi.Input<string>;
  gatewayHostname: string;
  adminHostname: string;
  /** The previous gateway host's restart: this one waits for it (one gateway down at a time). */
  after?: pulumi.Resource;
  /** What must be healthy before this gateway routes to it (the phase's model services). */
  modelsReady: pulumi.Resource[];
  /** The gateway's image built by CI, by digest; left out, it is built on the host. */
  image?: string;
}

export const GATEWAY_CONFIG_PATH = '/etc/bascule/gateway.json';
export const GATEWAY_ENV_PATH = '/etc/bascule/gateway.env';
export const ORIGIN_CERT_PATH = '/etc/bascule/origin.pem';
export const ORIGIN_KEY_PATH = '/etc/bascule/origin.key';
export const ORIGIN_PULL_CA_PATH = '/etc/bascule/origin-pull-ca.pem';
export const PROXY_CONF_PATH = '/etc/bascule/nginx.conf';
/** While this file exists, the proxy answers /readyz with 503: the load balancer stops sending traffic. */
export const DRAIN_FILE = '/run/bascule/drain';
/** Where the gateway serves the built dashboard. */
export const DASHBOARD_PATH = '/dashboard/';
/** Seconds for the load balancer to see a drained (or restarted) gateway as down (or up), with a margin. */
export const LB_NOTICE_S = MONITOR.intervalS * MONITOR.consecutiveDown + 10;

const forward = (path: string) => `    location ${path} {
      proxy_pass http://127.0.0.1:${GATEWAY_PORT};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $http_cf_connecting_ip;
      proxy_set_header X-Forwarded-Proto https;
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
`;
const notFound = (path: string) => `    location ${path} { default_type application/json; return 404 '{"error":{"code":"not_found","message":"not served on this host name"}}'; }\n`;

/** One TLS server of the proxy: the Origin CA certificate, Cloudflare's client certificate required, then its paths. */
function proxyServer(hostname: string, locations: string): string {
  return `  server {
    listen 443 ssl;
    listen [::]:443 ssl;
    http2 on;
    server_name ${hostname};
    ssl_certificate ${ORIGIN_CERT_PATH};
    ssl_certificate_key ${ORIGIN_KEY_PATH};
    ssl_protocols TLSv1.2 TLSv1.3;
    # Authenticated Origin Pulls: only Cloudflare, presenting this stack's client certificate, gets through.
    ssl_client_certificate ${ORIGIN_PULL_CA_PATH};
    ssl_verify_client on;
${locations}  }
`;
}

export function renderProxyConfig(gatewayHostname: string, adminHostname: string): string {
  const api =
    `    # Drained (rolling restart): the load balancer's monitor sees 503 and stops sending traffic here.\n` +
    `    location = /readyz {\n      if (-f ${DRAIN_FILE}) { return 503; }\n      proxy_pass http://127.0.0.1:${GATEWAY_PORT};\n    }\n` +
    notFound('/admin/') +
    notFound('/dashboard') +
    notFound('= /metrics') +
    forward('/');
  const admin =
    `    # The gateway serves the dashboard under ${DASHBOARD_PATH}: the host's root leads there. Nothing else is forwarded.\n` +
    `    location = / { return 302 ${DASHBOARD_PATH}; }\n` +
    forward('/admin/v1/') +
    forward(DASHBOARD_PATH) +
    notFound('/');
  return `# TLS proxy: Cloudflare → this host (Origin CA certificate, Authenticated Origin Pulls) → gateway on 127.0.0.1:${GATEWAY_PORT}
worker_processes auto;
events { worker_connections 4096; }
http {
  server_tokens off;
  client_max_body_size 12m;
${proxyServer(gatewayHostname, api)}${proxyServer(adminHostname, admin)}  server {
    listen 443 ssl default_server;
    listen [::]:443 ssl default_server;
    ssl_reject_handshake on;
  }
}
`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class Gateway extends pulumi.ComponentResource {
  readonly configFile: command.remote.Command;
  /** Done once this host's gateway runs the current config and image and answers /readyz. */
  readonly restarted: command.remote.Command;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Gateway', name, {}, opts);
    const { host, bootstrap } = args;
    // Files only: the gateway restarts once, below, in its turn.
    const install = (id: string, path: string, mode: string, stdin: pulumi.Input<string>, unit = '') =>
      new command.remote.Command(
        `${name}-${id}`,
        { connection: host.connection, create: `sudo -n bash ${REMOTE_SCRIPTS}/install-file.sh ${[path, mode, SERVICE_USER, unit].filter(Boolean).map(shellQuote).join(' ')}`, stdin },
        { parent: this, dependsOn: [bootstrap.ready] },
      );

    this.configFile = install('config', GATEWAY_CONFIG_PATH, '0640', args.configText);
    const envFile = install('env', GATEWAY_ENV_PATH, '0640', args.envText);
    const proxyUnit = unitName('proxy');
    const cert = install('origin-cert', ORIGIN_CERT_PATH, '0644', args.originCertificatePem, proxyUnit);
    const key = install('origin-key', ORIGIN_KEY_PATH, '0640', pulumi.secret(args.originPrivateKeyPem), proxyUnit);
    const pullCa = install('origin-pull-ca', ORIGIN_PULL_CA_PATH, '0644', args.originPullCaPem, proxyUnit);
    const proxyConf = install('proxy-config', PROXY_CONF_PATH, '0644', renderProxyConfig(args.gatewayHostname, args.adminHostname), proxyUnit);

    const app = new ContainerService(
      `${name}-app`,
      {
        host,
        bootstrap,
        source: args.image ? { kind: 'pull', name: args.image } : { kind: 'build', context: '.', dockerfile: 'apps/gateway/Dockerfile', tag: 'bascule/gateway:local' },
        unit: {
          name: 'gateway',
          description: 'Bascule gateway (API, admin API, dashboard)',
          gpu: false,
          // The host network: the API on 127.0.0.1 (behind nginx), /metrics on the private address, and the
          // GPU host's model services and PostgreSQL through the tunnel.
          network: 'host',
          // The host's bascule user: it reads the 0640 root:bascule config.
          user: SERVICE_IDS,
          volumes: [`${GATEWAY_CONFIG_PATH}:${GATEWAY_CONFIG_PATH}:ro`],
          env: { BASCULE_CONFIG: GATEWAY_CONFIG_PATH, BASCULE_PORT: String(GATEWAY_PORT), NODE_ENV: 'production' },
          envFile: GATEWAY_ENV_PATH,
          healthCmd: `node -e "fetch('http://127.0.0.1:${GATEWAY_PORT}/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
          healthStartPeriodS: 60,
          memory: '1536m',
          cpus: '2',
          stopTimeoutS: 30,
        },
        restart: 'rolling',
        dependsOn: [this.configFile, envFile],
      },
      { parent: this },
    );
    new ContainerService(
      `${name}-proxy`,
      {
        host,
        bootstrap,
        source: { kind: 'pull', name: 'nginx:1.27-alpine' },
        unit: {
          name: 'proxy',
          description: 'Bascule TLS proxy (Cloudflare origin)',
          gpu: false,
          // The host network: port 443 is then filtered by the host firewall (Docker's published ports are not).
          network: 'host',
          volumes: [
            `${PROXY_CONF_PATH}:/etc/nginx/nginx.conf:ro`,
            `${ORIGIN_CERT_PATH}:${ORIGIN_CERT_PATH}:ro`,
            `${ORIGIN_KEY_PATH}:${ORIGIN_KEY_PATH}:ro`,
            `${ORIGIN_PULL_CA_PATH}:${ORIGIN_PULL_CA_PATH}:ro`,
            '/run/bascule:/run/bascule:ro',
          ],
          memory: '256m',
          cpus: '1',
          // nginx's master binds 443 and hands the workers to its own user.
          capAdd: ['NET_BIND_SERVICE', 'SETUID', 'SETGID', 'CHOWN'],
        },
        dependsOn: [cert, key, pullCa, proxyConf],
      },
      { parent: this },
    );

    // One restart when anything the gateway reads changed (config, secrets, image): drained first, then
    // back only once /readyz answers here, after the previous host's gateway is back.
    const fingerprint = pulumi.secret(pulumi.all([args.configText, args.envText, app.unitText]).apply((parts) => `${sha256(parts.join('\0'))}\n`));
    const restart = `sudo -n bash ${REMOTE_SCRIPTS}/rolling-restart.sh ${shellQuote(unitName('gateway'))} ${shellQuote(`http://127.0.0.1:${GATEWAY_PORT}/readyz`)} ${LB_NOTICE_S} 300`;
    this.restarted = new command.remote.Command(
      `${name}-restart`,
      { connection: host.connection, create: restart, update: restart, stdin: fingerprint },
      { parent: this, dependsOn: [this.configFile, envFile, app.installed, ...args.modelsReady, ...(args.after ? [args.after] : [])] },
    );
    this.registerOutputs({});
  }
}
