// One gateway host and what runs on it: its bootstrap (Docker, tunnel to every other host, firewall with 443
// for Cloudflare only), the gateway with its TLS proxy, and node-exporter. Made in two steps like the GPU
// node: the host first (its WireGuard key is every peer's input), then the rest.
import * as pulumi from '@pulumi/pulumi';
import type { HostConfig } from '../config.ts';
import { Bootstrap, type Peer } from './bootstrap.ts';
import { Gateway, type GatewayArgs } from './gateway.ts';
import { Host, type ContaboSecrets } from './host.ts';
import { nodeExporter } from './exporters.ts';

export interface GatewayNodeArgs {
  host: HostConfig;
  sshPrivateKey: pulumi.Output<string>;
  contabo?: ContaboSecrets;
}

export interface GatewayNodeServices {
  adminCidrs: string[];
  cloudflareIpv4: pulumi.Input<string[]>;
  cloudflareIpv6: pulumi.Input<string[]>;
  peers: Peer[];
  gateway: Omit<GatewayArgs, 'host' | 'bootstrap'>;
}

export class GatewayNode extends pulumi.ComponentResource {
  readonly nodeName: string;
  readonly host: Host;
  bootstrap?: Bootstrap;
  gateway?: Gateway;

  constructor(name: string, args: GatewayNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:GatewayNode', name, args, opts);
    this.nodeName = name;
    this.host = new Host(`${name}-host`, { host: args.host, sshPrivateKey: args.sshPrivateKey, contabo: args.contabo }, { parent: this });
  }

  serve(services: GatewayNodeServices): this {
    const name = this.nodeName;
    this.bootstrap = new Bootstrap(
      `${name}-bootstrap`,
      { host: this.host, role: 'gateway', adminCidrs: services.adminCidrs, cloudflareIpv4: services.cloudflareIpv4, cloudflareIpv6: services.cloudflareIpv6, peers: services.peers },
      { parent: this },
    );
    this.gateway = new Gateway(`${name}-gateway`, { host: this.host, bootstrap: this.bootstrap, ...services.gateway }, { parent: this });
    nodeExporter(`${name}-node-exporter`, this.host, this.bootstrap, { parent: this });
    this.registerOutputs({ address: this.host.address });
    return this;
  }
}
