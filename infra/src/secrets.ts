// The stack's secrets: only ever Pulumi secret outputs, set with `pulumi config set --secret bascule:<key>`.
import * as pulumi from '@pulumi/pulumi';
import { gpuHostsOf, type StackConfig } from './config.ts';

export interface StackSecrets {
  /** Private key the program uses to reach the host over SSH (PEM or OpenSSH). */
  sshPrivateKey: pulumi.Output<string>;
  /** Keys handed to the gateway in its environment file, by environment variable name. */
  gatewayEnv: Record<string, pulumi.Output<string>>;
  contabo?: { clientSecret: pulumi.Output<string>; apiUser: pulumi.Output<string>; apiPassword: pulumi.Output<string> };
  database: {
    /** The gateway's PostgreSQL role `bascule`. */
    password: pulumi.Output<string>;
    /** The standby's replication role (only with a standby). */
    replicationPassword?: pulumi.Output<string>;
  };
  /** restic: the repository's password (it encrypts the dumps) and the object storage's S3 keys. */
  backup: { password: pulumi.Output<string>; accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string> };
}

/** Secret config keys and the environment variable the gateway reads each from. */
export const GATEWAY_SECRET_ENV = {
  clientKey: 'BASCULE_CLIENT_KEY',
  adminToken: 'BASCULE_ADMIN_TOKEN',
  studentHashKey: 'BASCULE_STUDENT_HASH_KEY',
  huggingfaceApiKey: 'HUGGINGFACE_API_KEY',
  groqApiKey: 'GROQ_API_KEY',
  openaiApiKey: 'OPENAI_API_KEY',
} as const;

export const CONTABO_SECRET_KEYS = ['contaboClientSecret', 'contaboApiUser', 'contaboApiPassword'] as const;
export const DATABASE_SECRET_KEYS = ['databasePassword', 'backupPassword', 'backupAccessKeyId', 'backupSecretAccessKey'] as const;

/** Every secret key the stack needs; a missing one fails with its name and how to set it. */
export function requiredSecretKeys(config: StackConfig): string[] {
  const keys: string[] = ['sshPrivateKey', ...Object.keys(GATEWAY_SECRET_ENV), ...DATABASE_SECRET_KEYS];
  if (config.database.standby !== undefined) keys.push('replicationPassword');
  if ([...gpuHostsOf(config), ...config.gatewayHosts].some((h) => h.provider === 'contabo')) keys.push(...CONTABO_SECRET_KEYS);
  return keys;
}

export function readSecrets(config: StackConfig, bascule: pulumi.Config): StackSecrets {
  const missing = requiredSecretKeys(config).filter((key) => bascule.getSecret(key) === undefined);
  if (missing.length > 0) {
    throw new Error(`missing secret config:\n${missing.map((k) => `  bascule:${k}: missing (set it with: pulumi config set --secret bascule:${k} <value>)`).join('\n')}`);
  }
  const secret = (key: string) => bascule.requireSecret(key);
  const gatewayEnv: Record<string, pulumi.Output<string>> = {};
  for (const [key, env] of Object.entries(GATEWAY_SECRET_ENV)) gatewayEnv[env] = secret(key);
  return {
    sshPrivateKey: secret('sshPrivateKey'),
    gatewayEnv,
    contabo: requiredSecretKeys(config).includes('contaboClientSecret')
      ? { clientSecret: secret('contaboClientSecret'), apiUser: secret('contaboApiUser'), apiPassword: secret('contaboApiPassword') }
      : undefined,
    database: {
      password: secret('databasePassword'),
      replicationPassword: config.database.standby !== undefined ? secret('replicationPassword') : undefined,
    },
    backup: { password: secret('backupPassword'), accessKeyId: secret('backupAccessKeyId'), secretAccessKey: secret('backupSecretAccessKey') },
  };
}
