// Reads the gateway's config file (JSON or YAML), validates it with @bascule/contracts, and reads the
// secrets it names from the environment. Every problem is reported by path; the caller exits 1.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayConfigError, defaultLocalConfig, parseGatewayConfig, resolveGatewaySecrets, type GatewayConfig, type GatewaySecrets } from '@bascule/contracts';
import type { ProviderId } from '@bascule/routing';

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
  /** Or one base URL per provider. */
  baseUrlFor?: (provider: string) => string;
  /** Or the lab's upstreams (`startLab().upstreams`, or the lab control API's list): each provider at its own port. */
  labUpstreams?: Readonly<Record<string, { baseUrl: string }>>;
  port?: number;
  dataDir?: string;
  /** Per client key (default: the config's default, 50 000 a minute). Load tests raise it. */
  rateLimitPerMinute?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Local development defaults: the lab for every provider, keys from the env or fixed local ones. */
export const LOCAL_CLIENT_KEY = 'local-client-key';
export const LOCAL_ADMIN_TOKEN = 'local-admin-token';
export const LOCAL_PROVIDER_KEY = 'local-lab-key';
/** Every provider whose lab stand-in checks for a bearer token. */
export const LOCAL_PROVIDER_KEYS: Readonly<Partial<Record<ProviderId, string>>> = {
  huggingface: LOCAL_PROVIDER_KEY,
  groq: LOCAL_PROVIDER_KEY,
  'vps-llm': LOCAL_PROVIDER_KEY,
  'openai-whisper': LOCAL_PROVIDER_KEY,
};

export function localConfig(input: LocalConfigInput = {}): LoadedConfig {
  const env = input.env ?? process.env;
  const lab = input.labUpstreams;
  const baseUrlFor = input.baseUrlFor ?? (lab ? (provider: string) => lab[provider]?.baseUrl ?? `http://127.0.0.1:9/${provider}` : undefined);
  const config = defaultLocalConfig({
    ...(input.labBaseUrl !== undefined ? { labBaseUrl: input.labBaseUrl } : {}),
    ...(baseUrlFor !== undefined ? { baseUrlFor } : {}),
    ...(input.port !== undefined ? { port: input.port } : {}),
    ...(input.dataDir !== undefined ? { dataDir: input.dataDir } : {}),
  });
  if (input.rateLimitPerMinute !== undefined) config.auth.rateLimitPerMinute = input.rateLimitPerMinute;
  const secrets = resolveGatewaySecrets(config, {
    BASCULE_CLIENT_KEY: env.BASCULE_CLIENT_KEY || LOCAL_CLIENT_KEY,
    BASCULE_ADMIN_TOKEN: env.BASCULE_ADMIN_TOKEN || LOCAL_ADMIN_TOKEN,
  });
  // The lab's stand-ins of the OpenAI-compatible APIs ask for a bearer token, like the real ones; any value
  // will do. That includes llama.cpp's server (`vps-llm`, the alternative production provider of llm): the
  // lab plays it started with `--api-key`; without one (as infra runs it, on the private network) the server
  // ignores the header, and its settings need no `apiKeyEnv` (optional for every provider).
  const providerApiKeys = { ...LOCAL_PROVIDER_KEYS, ...secrets.providerApiKeys };
  return { config, secrets: { ...secrets, providerApiKeys }, source: 'local' };
}

/** Asks a running lab's control API where each upstream listens (`GET /lab/v1/upstreams`). */
export async function discoverLabUpstreams(controlUrl: string, timeoutMs = 3_000): Promise<Record<string, { baseUrl: string }>> {
  const res = await fetch(`${controlUrl.replace(/\/+$/, '')}/lab/v1/upstreams`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`lab control API answered ${res.status}`);
  const body = (await res.json()) as { upstreams: { name: string; baseUrl: string }[] };
  return Object.fromEntries(body.upstreams.map((u) => [u.name, { baseUrl: u.baseUrl }]));
}
