// Bootstrap of one host, in order: the scripts, SSH hardening (non-root deploy user, keys only), on the GPU
// host the NVIDIA driver (held, so an unattended upgrade cannot split driver and libraries), Docker (with the
// NVIDIA container toolkit on the GPU host), upgrades and the service user, the private network (WireGuard
// to every other host), the firewall, logs and disk housekeeping, the health watch. Then the Docker
// resources its services share.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import * as docker from '@pulumi/docker';
import type { Host } from './host.ts';
import { SCRIPTS_DIR, scriptCommand } from '../remote.ts';
import { DOCKER_NETWORK, MODEL_CACHE_VOLUME, SERVICE_IDS, SERVICE_USER } from '../units.ts';
import { PRIVATE_CIDR } from '../config.ts';

export const WIREGUARD_PORT = 51820;

/** Another host of the stack, as this host's WireGuard peer. */
export interface Peer {
  name: string;
  publicKey: pulumi.Input<string>;
  address: pulumi.Input<string>;
  privateAddress: string;
}

export interface BootstrapArgs {
  host: Host;
  role: 'gpu' | 'gateway';
  adminCidrs: string[];
  /** Cloudflare's ranges: only a gateway host opens 443, to them. */
  cloudflareIpv4?: pulumi.Input<string[]>;
  cloudflareIpv6?: pulumi.Input<string[]>;
  peers: Peer[];
}

/** The peers' section of this host's WireGuard config (one [Peer] each), as 45-wireguard.sh reads it. */
export function renderPeers(peers: { name: string; publicKey: string; address: string; privateAddress: string }[]): string {
  return peers
    .map((p) => `[Peer]\n# ${p.name}\nPublicKey = ${p.publicKey}\nEndpoint = ${p.address}:${WIREGUARD_PORT}\nAllowedIPs = ${p.privateAddress}/32\nPersistentKeepalive = 25\n`)
    .join('\n');
}

/**
 * The Docker provider reaches the engine with the local `ssh` client: a known_hosts file written here pins
 * the host key (no trust on first use).
 */
function knownHostsFile(name: string, address: string, port: number, hostKey: string): string {
  const dir = join(tmpdir(), 'bascule-known-hosts');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${pulumi.getStack()}-${name}`);
  writeFileSync(file, `${port === 22 ? address : `[${address}]:${port}`} ${hostKey}\n`, { mode: 0o600 });
  return file;
}

export class Bootstrap extends pulumi.ComponentResource {
  /** Resolves once the host is hardened, on the private network, behind its firewall. */
  readonly ready: command.remote.Command;
  readonly docker: docker.Provider;
  readonly network: docker.Network;
  /** The model cache (GPU host only), owned by the models' user. */
  readonly modelCache?: docker.Volume;
  readonly modelCacheOwner?: command.remote.Command;

  constructor(name: string, args: BootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Bootstrap', name, args, opts);
    const { host } = args;
    const connection = host.connection;

    const folder = new command.remote.Command(`${name}-scripts-dir`, { connection, create: 'sudo -n install -d -m 0755 -o "$(id -u)" /opt/bascule' }, { parent: this });
    const scripts = new command.remote.CopyToRemote(
      `${name}-scripts`,
      { connection, source: new pulumi.asset.FileArchive(SCRIPTS_DIR), remotePath: '/opt/bascule' },
      { parent: this, dependsOn: [folder] },
    );
    const step = (id: string, script: string, scriptArgs: pulumi.Input<string[]>, after: pulumi.Resource, stdin?: pulumi.Input<string>) =>
      new command.remote.Command(
        `${name}-${id}`,
        { connection, create: pulumi.output(scriptArgs).apply((a) => scriptCommand(script, a, host.sudo)), ...(stdin === undefined ? {} : { stdin }) },
        { parent: this, dependsOn: [after] },
      );

    const ssh = step('ssh', '12-ssh.sh', [host.sshUser], scripts);
    const driver = args.role === 'gpu' ? step('nvidia', '10-nvidia.sh', [], ssh) : ssh;
    const dockerEngine = step('docker', '20-docker.sh', [args.role], driver);
    // After Docker: the service user joins the docker group, which Docker's package creates.
    // The SSH user joins the docker group too: the Docker provider reaches the engine as that user.
    const hardening = step('hardening', '40-hardening.sh', [SERVICE_USER, SERVICE_IDS, host.sshUser], dockerEngine);
    const peers = pulumi
      .all(args.peers.map((p) => pulumi.all([p.publicKey, p.address]).apply(([publicKey, address]) => ({ name: p.name, publicKey, address, privateAddress: p.privateAddress }))))
      .apply(renderPeers);
    const wireguard = step('wireguard', '45-wireguard.sh', [`${host.privateAddress}/${PRIVATE_CIDR.split('/')[1]}`, String(WIREGUARD_PORT)], hardening, peers);
    const peerAddresses = pulumi.all(args.peers.map((p) => p.address));
    const firewallArgs = pulumi
      .all([args.cloudflareIpv4 ?? [], args.cloudflareIpv6 ?? [], peerAddresses])
      .apply(([v4, v6, peerList]) => [args.adminCidrs.join(' '), v4.join(' '), v6.join(' '), peerList.join(' '), String(WIREGUARD_PORT), PRIVATE_CIDR]);
    const firewall = step('firewall', '30-firewall.sh', firewallArgs, wireguard);
    this.ready = step('housekeeping', '55-housekeeping.sh', [], firewall);

    // Docker's API over SSH: the engine never listens on a TCP port; the host key is pinned.
    const sshOpts = host.address.apply((address) => [
      '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${knownHostsFile(name, address, host.sshPort, host.sshHostKey)}`,
      '-o', 'ServerAliveInterval=30',
    ]);
    this.docker = new docker.Provider(
      `${name}-docker`,
      {
        host: pulumi.interpolate`ssh://${host.sshUser}@${host.address}:${host.sshPort}`,
        sshOpts,
        // A preview (CI included) must not need an SSH session to the host.
        disableDockerDaemonCheck: pulumi.runtime.isDryRun(),
      },
      { parent: this, dependsOn: [this.ready] },
    );
    this.network = new docker.Network(`${name}-network`, { name: DOCKER_NETWORK, driver: 'bridge', attachable: false }, { parent: this, provider: this.docker });
    if (args.role === 'gpu') {
      this.modelCache = new docker.Volume(`${name}-model-cache`, { name: MODEL_CACHE_VOLUME }, { parent: this, provider: this.docker, retainOnDelete: true });
      this.modelCacheOwner = new command.remote.Command(
        `${name}-model-cache-owner`,
        { connection, create: scriptCommand('50-model-cache.sh', [MODEL_CACHE_VOLUME, SERVICE_IDS], host.sudo) },
        { parent: this, dependsOn: [this.modelCache] },
      );
    }
    this.registerOutputs({});
  }
}
