// The Pulumi program: the stack's config → the GPU host (model services only), the gateway hosts (gateway,
// TLS proxy, PostgreSQL, monitoring), the private network between them, and Cloudflare in front.
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as cloudflare from '@pulumi/cloudflare';
import { decodeConfigValue, gpuHostsOf, parseStackConfig, type StackConfig } from './config.ts';
import { readSecrets } from './secrets.ts';
import { assertGpuArchitecture } from './gpu-arch.ts';
import { assertGpuBudget, type BudgetReport } from './gpu-budget.ts';
import { readImageManifests } from './image-manifest.ts';
import { NEXT_PHASE_CHECKLIST, PHASE_SUMMARY, nextPhase } from './phases.ts';
import { DATABASE_URL_ENV, GATEWAY_METRICS_PORT, modelUrls, renderGatewayConfig } from './gateway-config.ts';
import { modelServicesFor, modelServicesOn } from './model-services.ts';
import { REPO_ROOT } from './remote.ts';
import type { Host } from './components/host.ts';
import type { Peer } from './components/bootstrap.ts';
import { Edge } from './components/edge.ts';
import { DASHBOARD_PATH, type Gateway } from './components/gateway.ts';
import { GpuNode } from './components/gpu-node.ts';
import { GatewayNode } from './components/gateway-node.ts';
import { Database, databaseUrl } from './components/database.ts';
import { Monitoring } from './components/monitoring.ts';
import { DCGM_EXPORTER_PORT } from './components/exporters.ts';

/** Reads `bascule:*` from the running stack and validates it. */
export function readStackConfig(): StackConfig {
  const bascule = new pulumi.Config('bascule');
  return parseStackConfig((key) => decodeConfigValue(bascule.get(key)));
}

/** Every other host of the stack, as a WireGuard peer of `self`. */
function peersOf(self: Host, members: Host[]): Peer[] {
  return members
    .filter((m) => m !== self)
    .map((m) => ({ name: m.privateAddress, publicKey: m.wireguardPublicKey, address: m.address, privateAddress: m.privateAddress }));
}

const oneOrMany = (urls: string[]) => (urls.length === 1 ? urls[0]! : urls);
const budgetOutput = (b: BudgetReport) => ({ cardMb: b.cardMb, usableMb: b.usableMb, neededMb: b.neededMb, models: b.lines.map((l) => l.trim()) });

export function program() {
  const config = readStackConfig();
  const secrets = readSecrets(config, new pulumi.Config('bascule'));
  const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));
  const models = modelServicesFor(config, images);
  // Each GPU host runs its share of the phase's model services (all of them unless its `models` says).
  const gpuHosts = gpuHostsOf(config).map((host) => ({ host, models: modelServicesOn(config, images, host) }));
  // Fails the preview before anything changes when a host's models do not fit its card...
  // (the message names the host once there are several).
  const budgets = gpuHosts.map(({ host, models: own }) => assertGpuBudget(host.gpu.vramMb, own.map((m) => m.manifest), gpuHosts.length > 1 ? host.name : undefined));
  // ...and when a card is one the images' torch has no kernels for.
  for (const { host, models: own } of gpuHosts) assertGpuArchitecture(host.gpu.model, own.map((m) => m.manifest));
  const budget = budgets[0]!;

  const zone = cloudflare.getZoneOutput({ filter: { name: config.dns.zone, account: { id: config.cloudflare.accountId } } });
  const ranges = cloudflare.getIpRangesOutput({});

  // The hosts first: each one's WireGuard key is an input of every other one's tunnel.
  const gpus = gpuHosts.map(({ host }, i) => new GpuNode(host.name, { host, first: i === 0, sshPrivateKey: secrets.sshPrivateKey, contabo: secrets.contabo }));
  const gateways = config.gatewayHosts.map((h) => new GatewayNode(h.name, { host: h, sshPrivateKey: secrets.sshPrivateKey, contabo: secrets.contabo }));
  const members = [...gpus.map((g) => g.host), ...gateways.map((g) => g.host)];
  const adminCidrs = config.admin.sshCidrs;

  gpus.forEach((gpu, i) => gpu.serve({ adminCidrs, peers: peersOf(gpu.host, members), models: gpuHosts[i]!.models }));
  const modelsReady = gpus.flatMap((g) => g.modelsReady);

  // The zone's `id` (its `zoneId` is only the lookup input, empty when searching by filter).
  const edge = new Edge('edge', { config, zoneId: zone.id, origins: gateways.map((g) => ({ name: g.nodeName, address: g.host.address })) });

  const primary = gateways.find((g) => g.nodeName === config.database.primary)!;
  const url = pulumi.secret(secrets.database.password.apply((password) => databaseUrl(password, primary.host.privateAddress)));
  const envText = pulumi.secret(
    pulumi.all({ ...secrets.gatewayEnv, [DATABASE_URL_ENV]: url }).apply((env) => `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`),
  );
  let previous: Gateway | undefined;
  for (const node of gateways) {
    const placement = { privateAddress: node.host.privateAddress };
    node.serve({
      adminCidrs,
      cloudflareIpv4: ranges.ipv4Cidrs,
      cloudflareIpv6: ranges.ipv6Cidrs,
      peers: peersOf(node.host, members),
      gateway: {
        configText: edge.accessAudience.apply((accessAudience) => renderGatewayConfig(config, images, { ...placement, accessAudience }).text),
        envText,
        originCertificatePem: edge.originCertificatePem,
        originPrivateKeyPem: edge.originPrivateKeyPem,
        originPullCaPem: edge.originPullCaPem,
        gatewayHostname: edge.gatewayHostname,
        adminHostname: edge.adminHostname,
        // One gateway restarts at a time, and none routes a component before its model answers /health.
        after: previous?.restarted,
        modelsReady,
        image: config.images.gateway,
      },
    });
    previous = node.gateway;
  }

  const nodeOf = (name: string | undefined) => gateways.find((g) => g.nodeName === name);
  const standby = nodeOf(config.database.standby);
  new Database('database', {
    primary: { host: primary.host, bootstrap: primary.bootstrap! },
    standby: standby ? { host: standby.host, bootstrap: standby.bootstrap! } : undefined,
    config: config.database,
    secrets,
  });
  const watcher = nodeOf(config.monitoring.host) ?? gateways[gateways.length - 1]!;
  new Monitoring('monitoring', {
    host: watcher.host,
    bootstrap: watcher.bootstrap!,
    alertWebhookUrl: config.monitoring.alertWebhookUrl,
    targets: {
      nodes: Object.fromEntries([...gpus.map((g) => [g.nodeName, g.host.privateAddress]), ...gateways.map((g) => [g.nodeName, g.host.privateAddress])]),
      gateways: Object.fromEntries(gateways.map((g) => [g.nodeName, `${g.host.privateAddress}:${GATEWAY_METRICS_PORT}`])),
      gpus: Object.fromEntries(gpus.map((g) => [g.nodeName, `${g.host.privateAddress}:${DCGM_EXPORTER_PORT}`])),
      models: Object.fromEntries(
        // One GPU host: the model's name alone (as before several hosts); several: "<model>@<host>".
        gpus.flatMap((g, i) => gpuHosts[i]!.models.map((m) => [gpus.length === 1 ? m.image : `${m.image}@${g.nodeName}`, `${g.host.privateAddress}:${m.manifest.port}`])),
      ),
    },
  });

  const gatewayConfig = renderGatewayConfig(config, images, { privateAddress: primary.host.privateAddress, accessAudience: 'unknown-until-deployed' });
  const next = nextPhase(config.phase);
  return {
    phase: config.phase,
    phaseSummary: PHASE_SUMMARY[config.phase],
    /** The first GPU host's public address; gpuHostAddresses has every one's. */
    hostAddress: gpus[0]!.host.address,
    gpuHostAddresses: Object.fromEntries(gpus.map((g) => [g.nodeName, g.host.address])),
    gatewayHosts: Object.fromEntries(gateways.map((g) => [g.nodeName, g.host.address])),
    gatewayUrl: `https://${edge.gatewayHostname}`,
    dashboardUrl: `https://${edge.adminHostname}${DASHBOARD_PATH}`,
    components: Object.keys(gatewayConfig.parsed.components),
    modelServices: models.map((m) => m.image),
    /** Where the gateways reach each model service, through the tunnel: one URL, or a list when several GPU hosts run it. */
    modelEndpoints: Object.fromEntries(models.map((m) => [m.image, oneOrMany(modelUrls(config, m.manifest))])),
    /** The first GPU host's budget; gpuBudgets has every host's. */
    gpuBudget: budgetOutput(budget),
    gpuBudgets: Object.fromEntries(gpus.map((g, i) => [g.nodeName, budgetOutput(budgets[i]!)])),
    nextPhase: next ?? 'none',
    nextPhaseChecklist: NEXT_PHASE_CHECKLIST[config.phase],
  };
}
