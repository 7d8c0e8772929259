// The gateway on the host: its image (apps/gateway/Dockerfile), its config file generated from the stack,
// its environment file (the secrets, by name), and the TLS proxy that terminates Cloudflare's connections
// with the Origin CA certificate and forwards to the gateway on 127.0.0.1.
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { ContainerService } from './services.ts';
import { REMOTE_SCRIPTS, shellQuote } from '../remote.ts';
import { DOCKER_NETWORK, SERVICE_IDS, SERVICE_USER } from '../units.ts';
import { GATEWAY_PORT } from '../gateway-config.ts';

export interface GatewayArgs {
  host: Host;
  bootstrap: Bootstrap;
  /** The config file's text (JSON), already validated. */
  configText: string;
  env: Record<string, pulumi.Output<string>>;
  originCertificatePem: pulumi.Input<string>;
  originPrivateKeyPem: pulumi.Input<string>;
  gatewayHostname: string;
  dashboardHostname: string;
}

export const GATEWAY_CONFIG_PATH = '/etc/bascule/gateway.json';
export const GATEWAY_ENV_PATH = '/etc/bascule/gateway.env';
export const ORIGIN_CERT_PATH = '/etc/bascule/origin.pem';
export const ORIGIN_KEY_PATH = '/etc/bascule/origin.key';
export const PROXY_CONF_PATH = '/etc/bascule/nginx.conf';
/** Where the gateway serves the built dashboard. */
export const DASHBOARD_PATH = '/dashboard/';

/** One TLS server of the proxy: the Origin CA certificate, then everything forwarded to the gateway. */
function proxyServer(hostname: string, extra: string[] = []): string {
  return `  server {
    listen 443 ssl;
    listen [::]:443 ssl;
    http2 on;
    server_name ${hostname};
    ssl_certificate ${ORIGIN_CERT_PATH};
    ssl_certificate_key ${ORIGIN_KEY_PATH};
    ssl_protocols TLSv1.2 TLSv1.3;
${extra.map((line) => `    ${line}\n`).join('')}    location / {
      proxy_pass http://127.0.0.1:${GATEWAY_PORT};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $http_cf_connecting_ip;
      proxy_set_header X-Forwarded-Proto https;
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
  }
`;
}

export function renderProxyConfig(gatewayHostname: string, dashboardHostname: string): string {
  return `# TLS proxy: Cloudflare → this host (Origin CA certificate) → gateway on 127.0.0.1:${GATEWAY_PORT}
worker_processes auto;
events { worker_connections 4096; }
http {
  server_tokens off;
  client_max_body_size 12m;
${proxyServer(gatewayHostname)}${proxyServer(dashboardHostname, [`# The gateway serves the dashboard under ${DASHBOARD_PATH}: the host's root leads there.`, `location = / { return 302 ${DASHBOARD_PATH}; }`])}  server {
    listen 443 ssl default_server;
    listen [::]:443 ssl default_server;
    ssl_reject_handshake on;
  }
}
`;
}

export class Gateway extends pulumi.ComponentResource {
  readonly configFile: command.remote.Command;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Gateway', name, {}, opts);
    const { host, bootstrap } = args;
    const sudo = host.sudo ? 'sudo -n ' : '';
    const install = (id: string, path: string, mode: string, stdin: pulumi.Input<string>, unit = '') =>
      new command.remote.Command(
        `${name}-${id}`,
        { connection: host.connection, create: `${sudo}bash ${REMOTE_SCRIPTS}/install-file.sh ${[path, mode, SERVICE_USER, unit].filter(Boolean).map(shellQuote).join(' ')}`, stdin },
        { parent: this, dependsOn: [bootstrap.ready] },
      );

    // The config changes with every phase: an update in place (stdin), which restarts the gateway.
    this.configFile = install('config', GATEWAY_CONFIG_PATH, '0640', args.configText, 'bascule-gateway.service');
    const envText = pulumi.secret(
      pulumi.all(args.env).apply((env) => `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`),
    );
    const envFile = install('env', GATEWAY_ENV_PATH, '0640', envText, 'bascule-gateway.service');
    const cert = install('origin-cert', ORIGIN_CERT_PATH, '0644', args.originCertificatePem, 'bascule-proxy.service');
    const key = install('origin-key', ORIGIN_KEY_PATH, '0640', pulumi.secret(args.originPrivateKeyPem), 'bascule-proxy.service');
    const proxyConf = install('proxy-config', PROXY_CONF_PATH, '0644', renderProxyConfig(args.gatewayHostname, args.dashboardHostname), 'bascule-proxy.service');

    new ContainerService(
      `${name}-app`,
      {
        host,
        bootstrap,
        source: { kind: 'build', context: '.', dockerfile: 'apps/gateway/Dockerfile', tag: 'bascule/gateway:local' },
        unit: {
          name: 'gateway',
          description: 'Bascule gateway (API, admin API, dashboard)',
          gpu: false,
          network: DOCKER_NETWORK,
          // The host's bascule user: it reads the 0640 root:bascule config and owns /var/lib/bascule/data.
          user: SERVICE_IDS,
          publish: [`127.0.0.1:${GATEWAY_PORT}:${GATEWAY_PORT}`],
          volumes: [`${GATEWAY_CONFIG_PATH}:${GATEWAY_CONFIG_PATH}:ro`, '/var/lib/bascule/data:/var/lib/bascule/data'],
          env: { BASCULE_CONFIG: GATEWAY_CONFIG_PATH, BASCULE_PORT: String(GATEWAY_PORT), BASCULE_DATA_DIR: '/var/lib/bascule/data', NODE_ENV: 'production' },
          envFile: GATEWAY_ENV_PATH,
          healthCmd: `node -e "fetch('http://127.0.0.1:${GATEWAY_PORT}/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
        },
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
          volumes: [`${PROXY_CONF_PATH}:/etc/nginx/nginx.conf:ro`, `${ORIGIN_CERT_PATH}:${ORIGIN_CERT_PATH}:ro`, `${ORIGIN_KEY_PATH}:${ORIGIN_KEY_PATH}:ro`],
        },
        dependsOn: [cert, key, proxyConf],
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
