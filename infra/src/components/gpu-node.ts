// The GPU host and what runs on it: its bootstrap (driver, Docker with the NVIDIA toolkit, tunnel, firewall
// with no public port but SSH), the phase's model services published on its private address only, each
// checked on /health before any gateway routes to it, and its exporters. Made in two steps: the host (its
// WireGuard key is every peer's input), then, once every host exists, the rest.
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { HostConfig } from '../config.ts';
import type { ModelServiceSpec } from '../model-services.ts';
import { Bootstrap, type Peer } from './bootstrap.ts';
import { Host, type ContaboSecrets, type HostArgs } from './host.ts';
import { ContainerService } from './services.ts';
import { dcgmExporter, nodeExporter } from './exporters.ts';
import { scriptCommand } from '../remote.ts';

export interface GpuNodeArgs {
  host: HostConfig;
  /**
   * The first GPU host keeps the names (and so the URNs) its resources had when it was the only one; each
   * later host's resources are prefixed by its name ("gpu-2-host", "gpu-2-bootstrap", ...).
   */
  first: boolean;
  sshPrivateKey: pulumi.Output<string>;
  contabo?: ContaboSecrets;
}

export interface GpuNodeServices {
  adminCidrs: string[];
  peers: Peer[];
  models: ModelServiceSpec[];
}

/** Seconds a model service may take to answer /health after its unit is installed (a first start downloads the weights). */
export const MODEL_READY_TIMEOUT_S = 1800;

/**
 * The GPU host was the stack's only host: its resources were at the stack's root, as "host", "bootstrap"
 * and "model-<image>". These aliases keep their URNs, so that nothing is replaced, the Contabo instance above all.
 */
export function legacyAlias(name: string, type: string): pulumi.Output<string> {
  return pulumi.createUrn(name, type);
}

/** Where the first host's Host component and Contabo instance were at the stack's root. */
function firstHostAliases(): HostArgs['aliases'] {
  const hostUrn = legacyAlias('host', 'bascule:infra:Host');
  return { component: [hostUrn], instance: [pulumi.createUrn('host-contabo', 'pulumi-nodejs:dynamic/contabo:Instance', hostUrn)] };
}

export class GpuNode extends pulumi.ComponentResource {
  readonly host: Host;
  /** The host's name in the stack config ("gpu" for the one-host form). */
  readonly nodeName: string;
  bootstrap?: Bootstrap;
  /** One per model service: done once it answers /health with its model loaded. */
  readonly modelsReady: command.remote.Command[] = [];

  /** "" for the first GPU host (its resources' names predate the others), "<name>-" for the others. */
  private readonly prefix: string;

  constructor(name: string, args: GpuNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:GpuNode', args.first ? 'gpu' : name, args, opts);
    this.nodeName = name;
    this.prefix = args.first ? '' : `${name}-`;
    this.host = new Host(
      `${this.prefix}host`,
      { host: args.host, sshPrivateKey: args.sshPrivateKey, contabo: args.contabo, aliases: args.first ? firstHostAliases() : undefined },
      { parent: this },
    );
  }

  /** Aliases to the stack's root, where the first host's resources were before the GpuNode component. */
  private legacy(name: string, type: string): pulumi.Output<string>[] {
    return this.prefix === '' ? [legacyAlias(name, type)] : [];
  }

  /** The bootstrap, the model services and the exporters (after every host of the stack exists). */
  serve(services: GpuNodeServices): this {
    const host = this.host;
    const p = this.prefix;
    this.bootstrap = new Bootstrap(
      `${p}bootstrap`,
      { host, role: 'gpu', adminCidrs: services.adminCidrs, peers: services.peers },
      { parent: this, aliases: this.legacy('bootstrap', 'bascule:infra:Bootstrap') },
    );
    for (const model of services.models) {
      const service = new ContainerService(
        `${p}model-${model.image}`,
        { host, bootstrap: this.bootstrap, source: model.source, unit: model.unit },
        { parent: this, aliases: this.legacy(`model-${model.image}`, 'bascule:infra:ContainerService') },
      );
      const url = `http://${host.privateAddress}:${model.manifest.port}${model.manifest.healthPath}`;
      this.modelsReady.push(
        new command.remote.Command(
          `${p}model-${model.image}-ready`,
          // The unit's text in the trigger: a new build waits for /health again.
          { connection: host.connection, create: scriptCommand('wait-http.sh', [url, String(MODEL_READY_TIMEOUT_S)], false), triggers: [service.unitText] },
          { parent: this, dependsOn: [service.installed] },
        ),
      );
    }
    // The first host's exporters were named after its component ("gpu"); the others' after their host.
    const exporterPrefix = p === '' ? 'gpu-' : p;
    nodeExporter(`${exporterPrefix}node-exporter`, host, this.bootstrap, { parent: this });
    dcgmExporter(`${exporterPrefix}dcgm-exporter`, host, this.bootstrap, { parent: this });
    this.registerOutputs({ address: host.address });
    return this;
  }
}
