// The engine's vocabulary as zod enums. The lists themselves live once, in @bascule/routing.
import { z } from 'zod';
import { COMPONENTS, MIGRATION_STATUSES, PROVIDERS, type Component, type ProviderId } from '@bascule/routing';

export const ComponentSchema = z.enum(COMPONENTS);
export const ProviderIdSchema = z.enum(PROVIDERS);
export const MigrationStatusSchema = z.enum(MIGRATION_STATUSES);
/** `shadow`: the production provider's off-path calls of the shadow comparison (decision 0015), counted for cost only. */
export const RouteSchema = z.enum(['production', 'mvp', 'fallback', 'shadow']);

/** Which providers can serve which component: the first is the MVP provider of the plan. */
export const PROVIDERS_BY_COMPONENT: Readonly<Record<Component, readonly ProviderId[]>> = {
  llm: ['huggingface', 'groq', 'vps-llm'],
  stt: ['openai-whisper', 'faster-whisper'],
  tts: ['web-speech', 'coqui'],
  vision: ['easyocr', 'trocr'],
};
