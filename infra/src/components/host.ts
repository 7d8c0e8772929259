// The GPU host: an existing Contabo instance adopted through Contabo's API, or any host by address.
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../config.ts';
import type { StackSecrets } from '../secrets.ts';
import { ContaboInstance } from '../contabo/instance.ts';
import type { Connection } from '../remote.ts';

export class Host extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly connection: pulumi.Output<Connection>;
  readonly sudo: boolean;
  readonly instance?: ContaboInstance;

  constructor(name: string, config: StackConfig, secrets: StackSecrets, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Host', name, {}, opts);
    const host = config.host;
    if (host.provider === 'contabo' && host.contabo && secrets.contabo) {
      const c = host.contabo;
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
            pulumi.all([secrets.contabo.clientSecret, secrets.contabo.apiUser, secrets.contabo.apiPassword]).apply(([clientSecret, apiUser, apiPassword]) => ({
              clientId: c.clientId,
              clientSecret,
              apiUser,
              apiPassword,
            })),
          ),
        },
        { parent: this },
      );
    }
    this.address = host.address ? pulumi.output(host.address) : this.instance!.ipv4;
    this.sudo = host.sshUser !== 'root';
    this.connection = pulumi.all([this.address, secrets.sshPrivateKey]).apply(([address, privateKey]) => ({
      host: address,
      port: host.sshPort,
      user: host.sshUser,
      privateKey,
      hostKey: host.sshHostKey,
      dialErrorLimit: 20,
    }));
    this.registerOutputs({ address: this.address });
  }
}
