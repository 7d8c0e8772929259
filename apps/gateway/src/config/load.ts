// Reads the gateway's config file (JSON or YAML), validates it with @bascule/contracts, and reads the
// secrets it names from the environment. Every problem is reported by path; the caller exits 1.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayConfigError, defaultLocalConfig, parseGatewayConfig, resolveGatewaySecrets, type GatewayConfig, type GatewaySecrets } from '@bascule/contracts';

export interface LoadedConfig {
  config: GatewayConfig;
  secrets: GatewaySecrets;
  /** The file it came from, or `local` for the built-in lab config. */
  source: string;
}

/** Parses a config file's text: `.json` as JSON, anything else as YAML (a superset of JSON). */
export function parseConfigText(text: string, path: string): unknown {
  try {
    return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new GatewayConfigError([{ path: '(root)', message: `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}` }]);
  }
}

export function loadConfigFile(path: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GatewayConfigError([{ path: '(root)', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const config = parseGatewayConfig(parseConfigText(text, path));
  return { config, secrets: resolveGatewaySecrets(config, env), source: path };
}

/** `--config <path>` or `--config=<path>` on the command line, else BASCULE_CONFIG, else undefined. */
export function configPathFrom(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env.BASCULE_CONFIG || undefined;
}

export interface LocalConfigInput {
  /** Base URL of the lab; each provider at `${labBaseUrl}/${provider}`. */
  labBaseUrl?: string;
  /** Or one base URL per provider (the lab's `upstreams`). */
  baseUrlFor?: (provider: string) => string;
  port?: number;
  dataDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Local development defaults: the lab for every provider, keys from the env or fixed local ones. */
export const LOCAL_CLIENT_KEY = 'local-client-key';
export const LOCAL_ADMIN_TOKEN = 'local-admin-token';

export function localConfig(input: LocalConfigInput = {}): LoadedConfig {
  const env = input.env ?? process.env;
  const config = defaultLocalConfig({
    ...(input.labBaseUrl !== undefined ? { labBaseUrl: input.labBaseUrl } : {}),
    ...(input.baseUrlFor !== undefined ? { baseUrlFor: input.baseUrlFor } : {}),
    ...(input.port !== undefined ? { port: input.port } : {}),
    ...(input.dataDir !== undefined ? { dataDir: input.dataDir } : {}),
  });
  const secrets = resolveGatewaySecrets(config, {
    BASCULE_CLIENT_KEY: env.BASCULE_CLIENT_KEY || LOCAL_CLIENT_KEY,
    BASCULE_ADMIN_TOKEN: env.BASCULE_ADMIN_TOKEN || LOCAL_ADMIN_TOKEN,
  });
  return { config, secrets, source: 'local' };
}
