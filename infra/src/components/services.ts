// A containerised service on the host: its image (built from the repo against the host's Docker engine
// over SSH, or pulled) and the systemd unit that runs it.
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import * as docker from '@pulumi/docker';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { REMOTE_SCRIPTS, REPO_ROOT, shellQuote } from '../remote.ts';
import { renderContainerUnit, unitName, type ContainerUnit } from '../units.ts';

export type ImageSource =
  /** Built from a Dockerfile of the repo (context relative to the repo root). */
  | { kind: 'build'; context: string; dockerfile?: string; target?: string; tag: string }
  /** A published image, pulled on the host. */
  | { kind: 'pull'; name: string };

export interface ContainerServiceArgs {
  host: Host;
  bootstrap: Bootstrap;
  source: ImageSource;
  unit: Omit<ContainerUnit, 'image'>;
  dependsOn?: pulumi.Resource[];
}

export class ContainerService extends pulumi.ComponentResource {
  readonly unitName: string;
  readonly unitText: pulumi.Output<string>;
  readonly installed: command.remote.Command;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:ContainerService', name, {}, opts);
    const { host, bootstrap, source } = args;
    const onHost = { parent: this, provider: bootstrap.docker, dependsOn: [bootstrap.network, bootstrap.modelCache] };

    // The reference the unit runs, with the image's id so that a new build restarts the service.
    let imageRef: pulumi.Output<string>;
    let imageId: pulumi.Output<string>;
    if (source.kind === 'build') {
      const image = new docker.Image(
        `${name}-image`,
        {
          imageName: source.tag,
          build: { context: join(REPO_ROOT, source.context), dockerfile: source.dockerfile ? join(REPO_ROOT, source.dockerfile) : undefined, target: source.target, platform: 'linux/amd64' },
          skipPush: true,
          buildOnPreview: false,
        },
        onHost,
      );
      imageRef = image.imageName;
      imageId = image.id;
    } else {
      const image = new docker.RemoteImage(`${name}-image`, { name: source.name, keepLocally: true }, onHost);
      imageRef = image.name;
      imageId = image.imageId;
    }

    this.unitName = unitName(args.unit.name);
    this.unitText = pulumi.all([imageRef, imageId]).apply(([ref, id]) => `# image id: ${id}\n${renderContainerUnit({ ...args.unit, image: ref })}`);
    const sudo = host.sudo ? 'sudo -n ' : '';
    this.installed = new command.remote.Command(
      `${name}-unit`,
      {
        connection: host.connection,
        create: `${sudo}bash ${REMOTE_SCRIPTS}/install-unit.sh ${shellQuote(this.unitName)}`,
        delete: `${sudo}bash ${REMOTE_SCRIPTS}/remove-unit.sh ${shellQuote(this.unitName)}`,
        stdin: this.unitText,
      },
      { parent: this, dependsOn: [bootstrap.ready, bootstrap.modelCacheOwner, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ unitName: this.unitName });
  }
}
