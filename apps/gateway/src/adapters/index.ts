// One adapter per provider, built from the gateway config (base URL, model, voice, timeout) and the
// provider API keys read from the environment.
import type { GatewayConfig } from '@bascule/contracts';
import { COMPONENTS, type ProviderId } from '@bascule/routing';
import { createCoquiAdapter } from './coqui.ts';
import { createEasyOcrAdapter } from './easyocr.ts';
import { createFasterWhisperAdapter } from './faster-whisper.ts';
import { createOpenAiChatAdapter } from './openai-chat.ts';
import { createOpenAiWhisperAdapter } from './openai-whisper.ts';
import { createHostPools, type HostPool } from './hosts.ts';
import { createTrocrAdapter } from './trocr.ts';
import type { Adapter, ProviderSettings } from './types.ts';
import { createWebSpeechAdapter } from './web-speech.ts';

export * from './types.ts';
export * from './http.ts';
export * from './wav.ts';
export * from './hosts.ts';
export { createOpenAiChatAdapter, createOpenAiWhisperAdapter, createFasterWhisperAdapter, createCoquiAdapter, createWebSpeechAdapter, createTrocrAdapter, createEasyOcrAdapter };

const FACTORIES: Record<ProviderId, (settings: ProviderSettings) => Adapter> = {
  huggingface: createOpenAiChatAdapter,
  groq: createOpenAiChatAdapter,
  'vps-llm': createOpenAiChatAdapter,
  'openai-whisper': createOpenAiWhisperAdapter,
  'faster-whisper': createFasterWhisperAdapter,
  coqui: createCoquiAdapter,
  'web-speech': createWebSpeechAdapter,
  trocr: createTrocrAdapter,
  easyocr: createEasyOcrAdapter,
};

export function createAdapter(settings: ProviderSettings): Adapter {
  return FACTORIES[settings.id](settings);
}

/** Every configured provider's adapter, each over its pool of hosts (made from the config unless given). */
export function createAdapters(config: GatewayConfig, apiKeys: Partial<Record<ProviderId, string>> = {}, pools: ReadonlyMap<ProviderId, HostPool> = createHostPools(config)): Map<ProviderId, Adapter> {
  const adapters = new Map<ProviderId, Adapter>();
  for (const component of COMPONENTS) {
    const providers = config.components[component]?.providers ?? {};
    for (const [id, p] of Object.entries(providers) as [ProviderId, NonNullable<(typeof providers)[ProviderId]>][]) {
      const hosts = pools.get(id);
      adapters.set(id, createAdapter({ id, baseUrl: p.baseUrl ?? p.baseUrls?.[0], model: p.model, voice: p.voice, apiKey: apiKeys[id], timeoutMs: p.timeoutMs, ...(hosts ? { hosts } : {}) }));
    }
  }
  return adapters;
}
