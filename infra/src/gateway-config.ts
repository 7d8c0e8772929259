// The gateway's config file, generated from the stack's config and the services this phase deployed.
// Secrets are never in it: it names the environment variables (gateway.env, a secret) that hold them.
import { DEFAULT_PLAN_STEPS, parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '@bascule/contracts';
import type { StackConfig } from './config.ts';
import { PHASES, reached, type Component, type Phase } from './phases.ts';
import { GATEWAY_SECRET_ENV } from './secrets.ts';
import { containerName } from './units.ts';
import type { ImageManifest, ModelImage } from './image-manifest.ts';

export const GATEWAY_PORT = 8080;
export type Manifests = Readonly<Record<ModelImage, ImageManifest>>;

type Providers = NonNullable<GatewayConfigInput['components']['llm']>['providers'];

const plan = (slaMs: number) => ({ version: 1, steps: DEFAULT_PLAN_STEPS.map((s) => ({ ...s })), slaMs });
/** A model service on the internal network, at the port its image declares. */
export const internal = (m: ImageManifest, path = '') => `http://${containerName(m.image)}:${m.port}${path}`;

/** Each component's settings once its phase is reached: MVP provider, production provider, plan. */
function componentFor(component: Component, config: StackConfig, images: Manifests): NonNullable<GatewayConfigInput['components'][Component]> {
  switch (component) {
    case 'llm': {
      const mvp = { baseUrl: 'https://router.huggingface.co/v1', model: 'meta-llama/Llama-3.1-8B-Instruct', apiKeyEnv: GATEWAY_SECRET_ENV.huggingfaceApiKey, timeoutMs: 10_000, pricing: { unit: 'token' as const, eurPerUnit: 0.0000006 } };
      const providers: Providers = config.llm.selfHosted
        ? { huggingface: mvp, 'vps-llm': { baseUrl: internal(images.llama, '/v1'), model: 'llama-3.1-8b-q4', timeoutMs: 10_000 } }
        : { huggingface: mvp, groq: { baseUrl: 'https://api.groq.com/openai/v1', model: config.llm.groqModel, apiKeyEnv: GATEWAY_SECRET_ENV.groqApiKey, timeoutMs: 5_000, pricing: { unit: 'token', eurPerUnit: 0.00000005 } } };
      return { mvp: 'huggingface', production: config.llm.selfHosted ? 'vps-llm' : 'groq', plan: plan(5_000), providers };
    }
    case 'stt':
      return {
        mvp: 'openai-whisper',
        production: 'faster-whisper',
        plan: plan(2_000),
        providers: {
          'openai-whisper': { baseUrl: 'https://api.openai.com/v1', model: 'whisper-1', apiKeyEnv: GATEWAY_SECRET_ENV.openaiApiKey, pricing: { unit: 'audio_second', eurPerUnit: 0.0001 } },
          'faster-whisper': { baseUrl: internal(images.whisper), model: 'large-v3', timeoutMs: 2_000 },
        },
      };
    case 'tts':
      return { mvp: 'web-speech', production: 'coqui', plan: plan(2_000), providers: { 'web-speech': {}, coqui: { baseUrl: internal(images.tts), timeoutMs: 2_000 } } };
    case 'vision':
      return {
        mvp: 'easyocr',
        production: 'trocr',
        plan: plan(2_000),
        providers: {
          easyocr: { baseUrl: config.gateway.easyocrUrl ?? 'http://easyocr.invalid', pricing: { unit: 'image', eurPerUnit: 0.001 } },
          trocr: { baseUrl: internal(images.trocr), timeoutMs: 2_000 },
        },
      };
  }
}

/** The config file of the gateway at `phase`: the components whose phase is reached, and nothing else. */
export function gatewayConfigFor(config: StackConfig, images: Manifests, phase: Phase = config.phase): GatewayConfigInput {
  const components: GatewayConfigInput['components'] = {};
  for (const p of PHASES) {
    if (p === 'foundation' || !reached(phase, p)) continue;
    const component = p as Component;
    (components as Record<Component, unknown>)[component] = componentFor(component, config, images);
  }
  return {
    server: {
      host: '0.0.0.0',
      port: GATEWAY_PORT,
      cors: { allowedOrigins: config.gateway.allowedOrigins },
      replicas: config.gateway.replicas,
      // Cloudflare overwrites this header with the visitor's address; the per-address limits count by it.
      // Trustworthy because only Cloudflare reaches the origin (without it they would count the proxy's address).
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
    admin: { rateLimitPerMinute: config.gateway.adminRateLimitPerMinute },
    store: { dataDir: '/var/lib/bascule/data' },
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
export function renderGatewayConfig(config: StackConfig, images: Manifests): { text: string; parsed: GatewayConfig } {
  const input = gatewayConfigFor(config, images);
  const parsed = parseGatewayConfig(input);
  return { text: `${JSON.stringify(input, null, 2)}\n`, parsed };
}
