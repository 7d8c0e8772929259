// The command line of `nx run gateway:bench-quality -- …`: parsed and checked, every mistake named by its flag.
import { parseArgs } from 'node:util';
import { COMPONENTS, type Component, type ProviderId } from '@bascule/routing';
import { PROVIDERS_BY_COMPONENT } from '@bascule/contracts';

export const USAGE = `usage: nx run gateway:bench-quality -- --component <llm|stt|tts|vision> [options]

  --component <c>      the component whose two providers are compared (required)
  --config <path>      the gateway's config file: its providers, hosts, prices and API keys (from the env);
                       without it, the local lab's config (npm start's)
  --lab <url>          the lab's control API, without --config (default http://127.0.0.1:$BASCULE_LAB_PORT or 4010)
  --providers <a,b>    providers to compare (default: the component's mvp and production)
  --limit <n>          only the first n items of the corpus
  --timeout-ms <n>     per call (default 10000)
  --json               print the whole report as JSON instead of the table
  --svg <path>         write a bar chart (score and p95 latency per provider)
  --post               post each provider's score as a quality measure to the gateway's admin API
  --gateway <url>      with --post (default http://127.0.0.1:$BASCULE_PORT or 4000); token: $BASCULE_ADMIN_TOKEN
  --corpus <dir>       another corpus folder (default: the shipped corpus/fr)`;

export class UsageError extends Error {}

export interface BenchArgs {
  component: Component;
  config?: string;
  lab: string;
  providers?: ProviderId[];
  limit?: number;
  timeoutMs: number;
  json: boolean;
  svg?: string;
  post: boolean;
  gateway: string;
  corpus?: string;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number ≥ 1, got "${value}"`);
  return n;
}

export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        component: { type: 'string' }, config: { type: 'string' }, lab: { type: 'string' }, providers: { type: 'string' }, limit: { type: 'string' },
        'timeout-ms': { type: 'string' }, json: { type: 'boolean', default: false }, svg: { type: 'string' }, post: { type: 'boolean', default: false },
        gateway: { type: 'string' }, corpus: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const component = values.component;
  if (!component || !(COMPONENTS as readonly string[]).includes(component)) throw new UsageError(`--component: expected one of ${COMPONENTS.join(', ')}, got ${component === undefined ? 'nothing' : `"${component}"`}`);
  const c = component as Component;
  // tts's quality criterion is a listening test (a person's score): format and duration checks are not one.
  if (values.post && c === 'tts') throw new UsageError('--post: tts\'s quality criterion is a listening test; this benchmark only checks the audio\'s format and duration, so it posts nothing for tts');
  const providers = values.providers?.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of providers ?? []) {
    if (!PROVIDERS_BY_COMPONENT[c].includes(p as ProviderId)) throw new UsageError(`--providers: expected providers of ${c} (${PROVIDERS_BY_COMPONENT[c].join(', ')}), got "${p}"`);
  }
  return {
    component: c,
    ...(values.config ? { config: values.config } : {}),
    lab: values.lab ?? `http://127.0.0.1:${env.BASCULE_LAB_PORT || 4010}`,
    ...(providers?.length ? { providers: providers as ProviderId[] } : {}),
    ...(values.limit !== undefined ? { limit: positiveInt('--limit', values.limit) } : {}),
    timeoutMs: positiveInt('--timeout-ms', values['timeout-ms']) ?? 10_000,
    json: values.json,
    ...(values.svg ? { svg: values.svg } : {}),
    post: values.post,
    gateway: values.gateway ?? `http://127.0.0.1:${env.BASCULE_PORT || 4000}`,
    ...(values.corpus ? { corpus: values.corpus } : {}),
  };
}
