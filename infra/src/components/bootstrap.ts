// Bootstrap of the host, in order: the scripts, the NVIDIA driver check, Docker + NVIDIA container toolkit
// (checked with nvidia-smi in a container), upgrades and the service user, the firewall. Then the Docker
// resources every service shares: the internal network and the model cache volume (owned by the models' user).
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import * as docker from '@pulumi/docker';
import type { StackConfig } from '../config.ts';
import type { Host } from './host.ts';
import { SCRIPTS_DIR, scriptCommand } from '../remote.ts';
import { DOCKER_NETWORK, MODEL_CACHE_VOLUME, SERVICE_IDS, SERVICE_USER } from '../units.ts';

export interface BootstrapArgs {
  host: Host;
  config: StackConfig;
  cloudflareIpv4: pulumi.Input<string[]>;
  cloudflareIpv6: pulumi.Input<string[]>;
}

export class Bootstrap extends pulumi.ComponentResource {
  /** Resolves once the host can run GPU containers behind its firewall. */
  readonly ready: command.remote.Command;
  readonly docker: docker.Provider;
  readonly network: docker.Network;
  readonly modelCache: docker.Volume;
  /** The model cache belongs to the models' user: run every model service after it. */
  readonly modelCacheOwner: command.remote.Command;

  constructor(name: string, args: BootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Bootstrap', name, {}, opts);
    const { host, config } = args;
    const connection = host.connection;
    const sudo = host.sudo ? 'sudo -n ' : '';

    const folder = new command.remote.Command(`${name}-scripts-dir`, { connection, create: `${sudo}install -d -m 0755 -o $(id -u) /opt/bascule` }, { parent: this });
    const scripts = new command.remote.CopyToRemote(
      `${name}-scripts`,
      { connection, source: new pulumi.asset.FileArchive(SCRIPTS_DIR), remotePath: '/opt/bascule' },
      { parent: this, dependsOn: [folder] },
    );
    const step = (id: string, script: string, scriptArgs: pulumi.Input<string[]>, after: pulumi.Resource) =>
      new command.remote.Command(
        `${name}-${id}`,
        { connection, create: pulumi.output(scriptArgs).apply((a) => scriptCommand(script, a, host.sudo)) },
        { parent: this, dependsOn: [after] },
      );

    const nvidia = step('nvidia', '10-nvidia.sh', [], scripts);
    const dockerEngine = step('docker', '20-docker.sh', [], nvidia);
    // After Docker: the service user joins the docker group, which Docker's package creates.
    // The SSH user joins the docker group too: the Docker provider reaches the engine as that user.
    const hardening = step('hardening', '40-hardening.sh', [SERVICE_USER, SERVICE_IDS, config.host.sshUser], dockerEngine);
    const firewallArgs = pulumi
      .all([args.cloudflareIpv4, args.cloudflareIpv6])
      .apply(([v4, v6]) => [config.admin.sshCidrs.join(' '), v4.join(' '), v6.join(' ')]);
    this.ready = step('firewall', '30-firewall.sh', firewallArgs, hardening);

    // Docker's API over SSH: the engine never listens on a TCP port.
    this.docker = new docker.Provider(
      `${name}-docker`,
      {
        host: pulumi.interpolate`ssh://${config.host.sshUser}@${host.address}:${config.host.sshPort}`,
        sshOpts: ['-o', 'StrictHostKeyChecking=accept-new', '-o', 'ServerAliveInterval=30'],
        // A preview (CI included) must not need an SSH session to the host.
        disableDockerDaemonCheck: pulumi.runtime.isDryRun(),
      },
      { parent: this, dependsOn: [this.ready] },
    );
    this.network = new docker.Network(`${name}-network`, { name: DOCKER_NETWORK, driver: 'bridge', attachable: false }, { parent: this, provider: this.docker });
    this.modelCache = new docker.Volume(`${name}-model-cache`, { name: MODEL_CACHE_VOLUME }, { parent: this, provider: this.docker, retainOnDelete: true });
    this.modelCacheOwner = new command.remote.Command(
      `${name}-model-cache-owner`,
      { connection, create: scriptCommand('50-model-cache.sh', [MODEL_CACHE_VOLUME, SERVICE_IDS], host.sudo) },
      { parent: this, dependsOn: [this.modelCache] },
    );
    this.registerOutputs({});
  }
}
