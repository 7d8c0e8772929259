// Secrets named by the gateway's config are read from the environment at start-up, all at once, so a
// missing one is reported with every other (by config path and variable name, never by value).
import type { ProviderId } from '@bascule/routing';
import { COMPONENTS } from '@bascule/routing';
import { GatewayConfigError, type ConfigIssue, type GatewayConfig } from './config.ts';

export interface GatewaySecrets {
  clientKeys: { name: string; key: string }[];
  adminToken: string;
  studentHashKey: string | undefined;
  /** API keys of the providers whose settings name an `apiKeyEnv`. */
  providerApiKeys: Partial<Record<ProviderId, string>>;
  /** Values of the variables the notification channels name (`urlEnv`, `userEnv`, `passwordEnv`), by name. */
  notificationEnv: Record<string, string>;
}

/**
 * Reads every secret the config names from `env`. Throws GatewayConfigError listing each variable that is
 * unset or empty, e.g. `auth.adminTokenEnv: environment variable BASCULE_ADMIN_TOKEN is not set`.
 */
export function resolveGatewaySecrets(config: GatewayConfig, env: Readonly<Record<string, string | undefined>>): GatewaySecrets {
  const issues: ConfigIssue[] = [];
  const read = (path: string, name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return '';
    }
    return value;
  };
  const clientKeys = config.auth.clientKeys.map((client, i) => ({ name: client.name, key: read(`auth.clientKeys[${i}].keyEnv`, client.keyEnv) }));
  const adminToken = read('auth.adminTokenEnv', config.auth.adminTokenEnv);
  const studentHashKey = config.auth.studentHashKeyEnv === undefined ? undefined : read('auth.studentHashKeyEnv', config.auth.studentHashKeyEnv);
  const providerApiKeys: Partial<Record<ProviderId, string>> = {};
  for (const component of COMPONENTS) {
    const providers = config.components[component]?.providers ?? {};
    for (const [id, provider] of Object.entries(providers) as [ProviderId, { apiKeyEnv?: string }][]) {
      if (provider.apiKeyEnv !== undefined) providerApiKeys[id] = read(`components.${component}.providers.${id}.apiKeyEnv`, provider.apiKeyEnv);
    }
  }
  const notificationEnv: Record<string, string> = {};
  config.notifications.channels.forEach((channel, i) => {
    const names: Array<[string, string | undefined]> =
      channel.type === 'email' ? [['smtp.userEnv', channel.smtp.userEnv], ['smtp.passwordEnv', channel.smtp.passwordEnv]] : [['urlEnv', channel.urlEnv]];
    for (const [key, name] of names) if (name !== undefined) notificationEnv[name] = read(`notifications.channels[${i}].${key}`, name);
  });
  if (issues.length > 0) throw new GatewayConfigError(issues);
  return { clientKeys, adminToken, studentHashKey, providerApiKeys, notificationEnv };
}
