// The Pulumi program: the stack's config → host, bootstrap, edge, gateway and the phase's model services.
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as cloudflare from '@pulumi/cloudflare';
import { decodeConfigValue, parseStackConfig, type StackConfig } from './config.ts';
import { readSecrets } from './secrets.ts';
import { assertGpuArchitecture } from './gpu-arch.ts';
import { assertGpuBudget } from './gpu-budget.ts';
import { readImageManifests } from './image-manifest.ts';
import { NEXT_PHASE_CHECKLIST, PHASE_SUMMARY, nextPhase } from './phases.ts';
import { internal, renderGatewayConfig } from './gateway-config.ts';
import { modelServicesFor } from './model-services.ts';
import { REPO_ROOT } from './remote.ts';
import { Host } from './components/host.ts';
import { Bootstrap } from './components/bootstrap.ts';
import { Edge } from './components/edge.ts';
import { DASHBOARD_PATH, Gateway } from './components/gateway.ts';
import { ContainerService } from './components/services.ts';

/** Reads `bascule:*` from the running stack and validates it. */
export function readStackConfig(): StackConfig {
  const bascule = new pulumi.Config('bascule');
  return parseStackConfig((key) => decodeConfigValue(bascule.get(key)));
}

export function program() {
  const config = readStackConfig();
  const secrets = readSecrets(config, new pulumi.Config('bascule'));
  const images = readImageManifests(join(REPO_ROOT, 'gpu-images'));
  const models = modelServicesFor(config, images);
  // Fails the preview before anything changes when the models do not fit the card.
  const budget = assertGpuBudget(config.host.gpu.vramMb, models.map((m) => m.manifest));
  // ...and when the card is one the images' torch has no kernels for.
  assertGpuArchitecture(config.host.gpu.model, models.map((m) => m.manifest));
  const gatewayConfig = renderGatewayConfig(config, images);

  const zone = cloudflare.getZoneOutput({ filter: { name: config.dns.zone, account: { id: config.cloudflare.accountId } } });
  const ranges = cloudflare.getIpRangesOutput({});

  const host = new Host('host', config, secrets);
  const bootstrap = new Bootstrap('bootstrap', { host, config, cloudflareIpv4: ranges.ipv4Cidrs, cloudflareIpv6: ranges.ipv6Cidrs });
  // The zone's `id` (its `zoneId` is only the lookup input, empty when searching by filter).
  const edge = new Edge('edge', { config, zoneId: zone.id, originAddress: host.address });
  new Gateway('gateway', {
    host,
    bootstrap,
    configText: gatewayConfig.text,
    env: secrets.gatewayEnv,
    originCertificatePem: edge.originCertificatePem,
    originPrivateKeyPem: edge.originPrivateKeyPem,
    gatewayHostname: edge.gatewayHostname,
    dashboardHostname: edge.dashboardHostname,
  });
  for (const model of models) {
    new ContainerService(`model-${model.image}`, { host, bootstrap, source: model.source, unit: model.unit });
  }

  const next = nextPhase(config.phase);
  return {
    phase: config.phase,
    phaseSummary: PHASE_SUMMARY[config.phase],
    hostAddress: host.address,
    gatewayUrl: `https://${edge.gatewayHostname}`,
    dashboardUrl: `https://${edge.dashboardHostname}${DASHBOARD_PATH}`,
    components: Object.keys(gatewayConfig.parsed.components),
    modelServices: models.map((m) => m.image),
    /** Where the gateway reaches each model service, on the host's internal Docker network only. */
    modelEndpoints: Object.fromEntries(models.map((m) => [m.image, internal(m.manifest)])),
    gpuBudget: { cardMb: budget.cardMb, usableMb: budget.usableMb, neededMb: budget.neededMb, models: budget.lines.map((l) => l.trim()) },
    nextPhase: next ?? 'none',
    nextPhaseChecklist: NEXT_PHASE_CHECKLIST[config.phase],
  };
}
