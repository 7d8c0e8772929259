// PostgreSQL for the gateways' shared state: the primary on one gateway host, a streaming standby on
// another, both reachable through the tunnel only; an encrypted dump off the hosts on a schedule (restic to
// object storage, with retention), restorable with pg-restore.sh (docs/runbooks/backups-and-restore.md).
import * as pulumi from '@pulumi/pulumi';
import * as command from '@pulumi/command';
import type { StackConfig } from '../config.ts';
import { PRIVATE_CIDR } from '../config.ts';
import type { StackSecrets } from '../secrets.ts';
import type { Bootstrap } from './bootstrap.ts';
import type { Host } from './host.ts';
import { REMOTE_SCRIPTS, scriptCommand, shellQuote } from '../remote.ts';

export const BACKUP_ENV_PATH = '/etc/bascule/backup.env';

export interface DatabaseNode {
  host: Host;
  bootstrap: Bootstrap;
}

export interface DatabaseArgs {
  primary: DatabaseNode;
  standby?: DatabaseNode;
  config: StackConfig['database'];
  secrets: StackSecrets;
}

/** The gateway's connection string: the primary's private address (a secret: it holds the password). */
export function databaseUrl(password: string, primaryAddress: string): string {
  return `postgres://bascule:${encodeURIComponent(password)}@${primaryAddress}:5432/bascule`;
}

export class Database extends pulumi.ComponentResource {
  /** The gateways' connection string (secret). */
  readonly url: pulumi.Output<string>;
  /** Done once the primary accepts the gateways' role. */
  readonly ready: command.remote.Command;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('bascule:infra:Database', name, {}, opts);
    const { primary, standby, secrets } = args;
    const passwords = pulumi.secret(
      pulumi
        .all([secrets.database.password, secrets.database.replicationPassword ?? ''])
        .apply(([password, replicator]) => `bascule=${password}\n${replicator ? `replicator=${replicator}\n` : ''}`),
    );
    const postgres = (node: DatabaseNode, role: 'primary' | 'standby', peer: string | undefined, after: pulumi.Resource[]) =>
      new command.remote.Command(
        `${name}-${role}`,
        { connection: node.host.connection, create: scriptCommand('60-postgres.sh', [role, node.host.privateAddress, PRIVATE_CIDR, ...(peer ? [peer] : [])], true), stdin: passwords },
        { parent: this, dependsOn: [node.bootstrap.ready, ...after] },
      );
    this.ready = postgres(primary, 'primary', standby?.host.privateAddress, []);
    if (standby) postgres(standby, 'standby', primary.host.privateAddress, [this.ready]);

    const b = args.config.backup;
    const backupEnv = pulumi.secret(
      pulumi.all([secrets.database.password, secrets.backup.password, secrets.backup.accessKeyId, secrets.backup.secretAccessKey]).apply(([password, restic, keyId, key]) =>
        [
          `DATABASE_URL=${databaseUrl(password, '127.0.0.1')}`,
          `RESTIC_REPOSITORY=${b.repository}`,
          `RESTIC_PASSWORD=${restic}`,
          `AWS_ACCESS_KEY_ID=${keyId}`,
          `AWS_SECRET_ACCESS_KEY=${key}`,
          `KEEP_HOURLY=${b.keepHourly}`,
          `KEEP_DAILY=${b.keepDaily}`,
          `KEEP_WEEKLY=${b.keepWeekly}`,
          `KEEP_MONTHLY=${b.keepMonthly}`,
          '',
        ].join('\n'),
      ),
    );
    const env = new command.remote.Command(
      `${name}-backup-env`,
      { connection: primary.host.connection, create: `sudo -n bash ${REMOTE_SCRIPTS}/install-file.sh ${[BACKUP_ENV_PATH, '0600', 'root'].map(shellQuote).join(' ')}`, stdin: backupEnv },
      { parent: this, dependsOn: [primary.bootstrap.ready] },
    );
    new command.remote.Command(
      `${name}-backup-timer`,
      { connection: primary.host.connection, create: scriptCommand('61-backup.sh', [b.onCalendar], true) },
      { parent: this, dependsOn: [this.ready, env] },
    );
    this.url = pulumi.secret(secrets.database.password.apply((password) => databaseUrl(password, primary.host.privateAddress)));
    this.registerOutputs({});
  }
}
