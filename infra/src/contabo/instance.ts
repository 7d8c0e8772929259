// The Contabo instance as a Pulumi resource (a dynamic resource driving contabo/provider.ts).
import * as pulumi from '@pulumi/pulumi';
import { makeContaboProvider, type ContaboCredentials } from './provider.ts';

export interface ContaboInstanceArgs {
  instanceId: pulumi.Input<number>;
  displayName?: pulumi.Input<string>;
  imageId?: pulumi.Input<string>;
  sshKeys?: pulumi.Input<number[]>;
  powerState?: pulumi.Input<'running' | 'stopped'>;
  allowReinstall: pulumi.Input<boolean>;
  allowCancel: pulumi.Input<boolean>;
  apiUrl: pulumi.Input<string>;
  authUrl: pulumi.Input<string>;
  credentials: pulumi.Input<ContaboCredentials>;
}

export class ContaboInstance extends pulumi.dynamic.Resource {
  declare readonly ipv4: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: ContaboInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      makeContaboProvider(),
      name,
      { ...args, ipv4: undefined, status: undefined, name: undefined },
      // The credentials stay encrypted in the state (delete needs them, so they are kept in the outputs).
      { ...opts, additionalSecretOutputs: ['credentials'], protect: opts?.protect ?? true },
      'contabo',
      'Instance',
    );
  }
}
