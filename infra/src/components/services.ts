// A containerised service on a host: its image (built from the repo against the host's Docker engine over
// SSH, or pulled) and the systemd unit that runs it, by digest.
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
  /** A published image, pulled on the host (a tag pinned to one build, or a digest). */
  | { kind: 'pull'; name: string };

export interface ContainerServiceArgs {
  host: Host;
  bootstrap: Bootstrap;
  source: ImageSource;
  unit: Omit<ContainerUnit, 'image'>;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * "on-change" (default): installing a changed unit restarts the service. "rolling": the unit is installed
   * without a restart (a first install still starts it); the caller restarts it in its own order.
   */
  restart?: 'on-change' | 'rolling';
}

export class ContainerService extends pulumi.ComponentResource {
  readonly unitName: string;
  readonly unitText: pulumi.Output<string>;
  readonly installed: command.remote.Command;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:ContainerService', name, {}, opts);
    const { host, bootstrap, source } = args;
    const onHost = { parent: this, provider: bootstrap.docker, dependsOn: [bootstrap.network, ...(bootstrap.modelCache ? [bootstrap.modelCache] : [])] };

    // The unit runs the image by its digest, unique per build (a local build's repoDigest is its image id,
    // sha256:…; a pulled image's is repo@sha256:…): a new build changes the unit, which restarts the service.
    // `image.id` is the tag for @pulumi/docker 4.x and never changes, so it cannot be used for this.
    let imageRef: pulumi.Output<string>;
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
      imageRef = image.repoDigest;
    } else {
      const image = new docker.RemoteImage(`${name}-image`, { name: source.name, keepLocally: true }, onHost);
      imageRef = image.repoDigest;
    }

    this.unitName = unitName(args.unit.name);
    this.unitText = imageRef.apply((ref) => {
      if (!/(^|@)sha256:[0-9a-f]{64}$/.test(ref)) throw new Error(`${name}: the image has no digest ("${ref}"); the unit must run one build, not a tag`);
      return renderContainerUnit({ ...args.unit, image: ref });
    });
    const flag = args.restart === 'rolling' ? ' --no-restart' : '';
    this.installed = new command.remote.Command(
      `${name}-unit`,
      {
        connection: host.connection,
        create: `sudo -n bash ${REMOTE_SCRIPTS}/install-unit.sh ${shellQuote(this.unitName)}${flag}`,
        delete: `sudo -n bash ${REMOTE_SCRIPTS}/remove-unit.sh ${shellQuote(this.unitName)}`,
        stdin: this.unitText,
      },
      { parent: this, dependsOn: [bootstrap.ready, ...(bootstrap.modelCacheOwner ? [bootstrap.modelCacheOwner] : []), ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ unitName: this.unitName });
  }
}
