// One machine of the stack, GPU host or gateway host: an existing Contabo instance adopted through Contabo's
// API (or any host by address), how to reach it over SSH (pinned host key, non-root user), and its WireGuard
// key, made on the host itself: the private key never leaves it, the public key comes back for the peers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { HostConfig } from '../config.ts';
import { ContaboInstance } from '../contabo/instance.ts';
import { SCRIPTS_DIR, sha256, shellQuote, type Connection } from '../remote.ts';

export interface ContaboSecrets {
  clientSecret: pulumi.Output<string>;
  apiUser: pulumi.Output<string>;
  apiPassword: pulumi.Output<string>;
}

export interface HostArgs {
  /** This host's slice of the stack config. */
  host: HostConfig;
  sshPrivateKey: pulumi.Output<string>;
  /** Required when host.provider is "contabo". */
  contabo?: ContaboSecrets;
  /** Earlier URNs of this host's resources (the GPU host was the stack's only host, named "host"). */
  aliases?: { component?: pulumi.Input<pulumi.Alias | string>[]; instance?: pulumi.Input<pulumi.Alias | string>[] };
}

const WIREGUARD_KEY_SCRIPT = '05-wireguard-key.sh';

export class Host extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly privateAddress: string;
  readonly connection: pulumi.Output<Connection>;
  readonly sshUser: string;
  readonly sshPort: number;
  readonly sshHostKey: string;
  readonly instance?: ContaboInstance;
  /** The host's WireGuard public key (its private key is made on the host and stays there). */
  readonly wireguardPublicKey: pulumi.Output<string>;
  /** Commands that need root run with `sudo -n` (the SSH user is never root). */
  readonly sudo = true;

  constructor(name: string, args: HostArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Host', name, args, { ...opts, aliases: [...(opts?.aliases ?? []), ...(args.aliases?.component ?? [])] });
    const { host } = args;
    if (host.provider === 'contabo' && host.contabo && args.contabo) {
      const c = host.contabo;
      const secrets = args.contabo;
      this.instance = new ContaboInstance(
        `${name}-contabo`,
        {
          instanceId: c.instanceId,
          displayName: c.displayName,
          imageId: c.imageId,
          sshKeys: c.sshKeySecretIds,
          powerState: c.powerState,
          allowReinstall: c.allowReinstall,
          allowCancel: c.allowCancel,
          apiUrl: c.apiUrl,
          authUrl: c.authUrl,
          credentials: pulumi.secret(
            pulumi.all([secrets.clientSecret, secrets.apiUser, secrets.apiPassword]).apply(([clientSecret, apiUser, apiPassword]) => ({
              clientId: c.clientId,
              clientSecret,
              apiUser,
              apiPassword,
            })),
          ),
        },
        { parent: this, aliases: args.aliases?.instance },
      );
    }
    if (!host.address && !this.instance) throw new Error(`host ${name}: no address (set it, or give the Contabo instance and its secrets)`);
    this.address = host.address ? pulumi.output(host.address) : this.instance!.ipv4;
    this.privateAddress = host.privateAddress;
    this.sshUser = host.sshUser;
    this.sshPort = host.sshPort;
    this.sshHostKey = host.sshHostKey;
    this.connection = pulumi.all([this.address, args.sshPrivateKey]).apply(([address, privateKey]) => ({
      host: address,
      port: host.sshPort,
      user: host.sshUser,
      privateKey,
      // Required: without it @pulumi/command accepts any host key.
      hostKey: host.sshHostKey,
      dialErrorLimit: 20,
    }));

    // The script travels on stdin: this runs before the bootstrap has copied anything to the host.
    const script = readFileSync(join(SCRIPTS_DIR, WIREGUARD_KEY_SCRIPT), 'utf8');
    const key = new command.remote.Command(
      `${name}-wireguard-key`,
      { connection: this.connection, create: `sudo -n bash -s -- ${shellQuote('/etc/wireguard/bascule.key')} # ${WIREGUARD_KEY_SCRIPT}@${sha256(script).slice(0, 12)}`, stdin: script },
      { parent: this },
    );
    this.wireguardPublicKey = key.stdout.apply((out) => out.trim());
    this.registerOutputs({ address: this.address, wireguardPublicKey: this.wireguardPublicKey });
  }
}
