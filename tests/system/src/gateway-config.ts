// The config file both gateways read (as infra would generate it): the self-hosted providers on the GPU
// host, the paid ones on the MVP host, every component on a plan whose first step is 50 %, the analysis
// every second so a rollback is decided within seconds. The rate limits are the stack's defaults, each
// gateway enforcing its share of two.
import type { GatewayConfigInput } from '@bascule/contracts';

export const GATEWAY_PORT = 8080;

/** Where each upstream listens on its host. */
export const GPU_UPSTREAMS = { groq: 8101, 'faster-whisper': 8102, coqui: 8103, trocr: 8104 } as const;
export const MVP_UPSTREAMS = { huggingface: 8201, 'openai-whisper': 8202, easyocr: 8203 } as const;

export const SECRETS = {
  BASCULE_CLIENT_KEY: 'system-test-client-key',
  BASCULE_ADMIN_TOKEN: 'system-test-admin-token',
  BASCULE_STUDENT_HASH_KEY: 'system-test-student-hash-key',
  LAB_PROVIDER_KEY: 'system-test-lab-key',
} as const;

export interface GatewayConfigOptions {
  gpuHost: string;
  mvpHost: string;
  dataDir: string;
}

const plan = (slaMs: number) => ({
  version: 1,
  steps: [{ weight: 50, duration: '48h' }, { weight: 100, duration: '7d' }],
  rollbackAfterEvaluations: 3,
  slaMs,
});

export function gatewayConfig(options: GatewayConfigOptions): GatewayConfigInput {
  const gpu = (port: number) => `http://${options.gpuHost}:${port}`;
  const mvp = (port: number) => `http://${options.mvpHost}:${port}`;
  const timeoutMs = 3_000;
  return {
    server: { host: '0.0.0.0', port: GATEWAY_PORT, replicas: 2 },
    auth: {
      clientKeys: [{ name: 'reading-app', keyEnv: 'BASCULE_CLIENT_KEY' }],
      adminTokenEnv: 'BASCULE_ADMIN_TOKEN',
      studentHashKeyEnv: 'BASCULE_STUDENT_HASH_KEY',
    },
    store: { dataDir: options.dataDir },
    analysis: { intervalMs: 1_000 },
    components: {
      llm: {
        mvp: 'huggingface',
        production: 'groq',
        plan: plan(5_000),
        providers: {
          huggingface: { baseUrl: mvp(MVP_UPSTREAMS.huggingface), apiKeyEnv: 'LAB_PROVIDER_KEY', model: 'meta-llama/Llama-3.1-8B-Instruct', timeoutMs, pricing: { unit: 'token', eurPerUnit: 0.0000006 } },
          groq: { baseUrl: gpu(GPU_UPSTREAMS.groq), apiKeyEnv: 'LAB_PROVIDER_KEY', model: 'llama-3.1-8b-instant', timeoutMs },
        },
      },
      stt: {
        mvp: 'openai-whisper',
        production: 'faster-whisper',
        plan: plan(2_000),
        providers: {
          'openai-whisper': { baseUrl: mvp(MVP_UPSTREAMS['openai-whisper']), apiKeyEnv: 'LAB_PROVIDER_KEY', model: 'whisper-1', timeoutMs, pricing: { unit: 'audio_second', eurPerUnit: 0.0001 } },
          'faster-whisper': { baseUrl: gpu(GPU_UPSTREAMS['faster-whisper']), timeoutMs },
        },
      },
      tts: {
        mvp: 'web-speech',
        production: 'coqui',
        plan: plan(2_000),
        providers: { 'web-speech': {}, coqui: { baseUrl: gpu(GPU_UPSTREAMS.coqui), timeoutMs } },
      },
      vision: {
        mvp: 'easyocr',
        production: 'trocr',
        plan: plan(2_000),
        providers: {
          easyocr: { baseUrl: mvp(MVP_UPSTREAMS.easyocr), timeoutMs, pricing: { unit: 'image', eurPerUnit: 0.001 } },
          trocr: { baseUrl: gpu(GPU_UPSTREAMS.trocr), timeoutMs },
        },
      },
    },
    vps: { monthlyCostEur: 160, oneTimeCostEur: 3_600, expectedMonthlyRequests: 1_130_000 },
  };
}
