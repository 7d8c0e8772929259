// The gateway's config file, generated from the stack's config and the services this phase deployed.
// Secrets are never in it: it names the environment variables (gateway.env, a secret) that hold them.
import { DEFAULT_PLAN_STEPS, PLAN_PRICES, parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '@bascule/contracts';
import type { StackConfig } from './config.ts';
import { PHASES, reached, type Component, type Phase } from './phases.ts';
import { GATEWAY_SECRET_ENV } from './secrets.ts';
import type { ImageManifest, ModelImage } from './image-manifest.ts';

export const GATEWAY_PORT = 8080;
/** The gateway's /metrics listener, on its host's private address only (scraped through the tunnel). */
export const GATEWAY_METRICS_PORT = 9464;
export const DATABASE_URL_ENV = 'BASCULE_DATABASE_URL';
export type Manifests = Readonly<Record<ModelImage, ImageManifest>>;

/** What differs between the gateway hosts of a stack, and what Cloudflare answers (the Access AUD tag). */
export interface GatewayPlacement {
  /** The host's address on the private network: /metrics listens there. */
  privateAddress: string;
  /** The Access application's AUD tag (the gateway checks the JWT's audience against it). */
  accessAudience: string;
}

/** The config file as deployed: the gateway's own schema, its Access, metrics and PostgreSQL keys included. */
export type DeployedGatewayConfig = GatewayConfigInput;

type Providers = NonNullable<GatewayConfigInput['components']['llm']>['providers'];

const plan = (slaMs: number) => ({ version: 1, steps: DEFAULT_PLAN_STEPS.map((s) => ({ ...s })), slaMs });
/** A model service on the GPU host's private address (WireGuard), at the port its image declares. */
export const modelUrl = (config: StackConfig, m: ImageManifest, path = '') => `http://${config.host.privateAddress}:${m.port}${path}`;

/** Each component's settings once its phase is reached: MVP provider, production provider, plan. */
function componentFor(component: Component, config: StackConfig, images: Manifests): NonNullable<GatewayConfigInput['components'][Component]> {
  switch (component) {
    case 'llm': {
      const mvp = { baseUrl: 'https://router.huggingface.co/v1', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKeyEnv: GATEWAY_SECRET_ENV.huggingfaceApiKey, timeoutMs: 10_000, pricing: PLAN_PRICES.huggingface! };
      const providers: Providers = config.llm.selfHosted
        ? { huggingface: mvp, 'vps-llm': { baseUrl: modelUrl(config, images.llama, '/v1'), model: 'llama-3.1-8b-q4', timeoutMs: 10_000 } }
        : { huggingface: mvp, groq: { baseUrl: 'https://api.groq.com/openai/v1', model: config.llm.groqModel, apiKeyEnv: GATEWAY_SECRET_ENV.groqApiKey, timeoutMs: 5_000, pricing: PLAN_PRICES.groq! } };
      return { mvp: 'huggingface', production: config.llm.selfHosted ? 'vps-llm' : 'groq', plan: plan(5_000), providers };
    }
    case 'stt':
      return {
        mvp: 'openai-whisper',
        production: 'faster-whisper',
        plan: plan(2_000),
        providers: {
          'openai-whisper': { baseUrl: 'https://api.openai.com/v1', model: 'whisper-1', apiKeyEnv: GATEWAY_SECRET_ENV.openaiApiKey, pricing: PLAN_PRICES['openai-whisper']! },
          'faster-whisper': { baseUrl: modelUrl(config, images.whisper), model: 'large-v3', timeoutMs: 2_000 },
        },
      };
    case 'tts':
      return { mvp: 'web-speech', production: 'coqui', plan: plan(2_000), providers: { 'web-speech': {}, coqui: { baseUrl: modelUrl(config, images.tts), timeoutMs: 2_000 } } };
    case 'vision':
      return {
        mvp: 'easyocr',
        production: 'trocr',
        plan: plan(2_000),
        providers: {
          easyocr: { baseUrl: config.gateway.easyocrUrl ?? 'http://easyocr.invalid', pricing: PLAN_PRICES.easyocr! },
          trocr: { baseUrl: modelUrl(config, images.trocr), timeoutMs: 2_000 },
        },
      };
  }
}

export function adminHostname(config: StackConfig): string {
  return `${config.dns.admin}.${config.dns.zone}`;
}

/** The config file of a gateway host at `phase`: the components whose phase is reached, and nothing else. */
export function gatewayConfigFor(config: StackConfig, images: Manifests, placement: GatewayPlacement, phase: Phase = config.phase): DeployedGatewayConfig {
  const components: GatewayConfigInput['components'] = {};
  for (const p of PHASES) {
    if (p === 'foundation' || !reached(phase, p)) continue;
    const component = p as Component;
    const shadow = config.gateway.shadow[component];
    (components as Record<Component, unknown>)[component] = { ...componentFor(component, config, images), ...(shadow ? { shadow } : {}) };
  }
  return {
    // The host network: nginx (TLS, Authenticated Origin Pulls) forwards from 443 to 127.0.0.1.
    server: {
      host: '127.0.0.1',
      port: GATEWAY_PORT,
      cors: { allowedOrigins: config.gateway.allowedOrigins },
      // Every gateway host runs one gateway behind the load balancer: each enforces its share of the limits.
      replicas: config.gatewayHosts.length,
      // Cloudflare overwrites this header with the visitor's address; the per-address limits count by it.
      // Trustworthy because only Cloudflare reaches the origin (Authenticated Origin Pulls).
      clientAddressHeader: 'cf-connecting-ip',
    },
    auth: {
      clientKeys: [{ name: 'reading-app', keyEnv: GATEWAY_SECRET_ENV.clientKey }],
      adminTokenEnv: GATEWAY_SECRET_ENV.adminToken,
      studentHashKeyEnv: GATEWAY_SECRET_ENV.studentHashKey,
      rateLimitPerMinute: config.gateway.rateLimitPerMinute,
      studentRateLimitPerMinute: config.gateway.studentRateLimitPerMinute,
      failedAuthPerMinute: config.gateway.failedAuthPerMinute,
    },
    admin: {
      rateLimitPerMinute: config.gateway.adminRateLimitPerMinute,
      hostnames: [adminHostname(config)],
      access: { teamDomain: config.cloudflare.teamDomain, audience: placement.accessAudience },
    },
    metrics: { host: placement.privateAddress, port: GATEWAY_METRICS_PORT },
    store: { databaseUrlEnv: DATABASE_URL_ENV },
    webhook: config.gateway.webhookUrl ? { url: config.gateway.webhookUrl } : {},
    components,
    vps: {
      monthlyCostEur: config.gateway.vpsMonthlyCostEur,
      oneTimeCostEur: config.gateway.vpsOneTimeCostEur,
      ...(config.gateway.expectedMonthlyRequests !== undefined ? { expectedMonthlyRequests: config.gateway.expectedMonthlyRequests } : {}),
    },
  };
}

/** The file's text, validated against the gateway's own schema first (a bad file fails the preview). */
export function renderGatewayConfig(config: StackConfig, images: Manifests, placement: GatewayPlacement): { text: string; parsed: GatewayConfig } {
  const input = gatewayConfigFor(config, images, placement);
  const parsed = parseGatewayConfig(input);
  return { text: `${JSON.stringify(input, null, 2)}\n`, parsed };
}
