// The engine's vocabulary. Shared by every module of libs/routing and by its callers.
// libs/routing does no I/O: time and randomness are injected through these interfaces.

export const COMPONENTS = ['llm', 'stt', 'tts', 'vision'] as const;
export type Component = (typeof COMPONENTS)[number];

export const PROVIDERS = [
  'huggingface',
  'groq',
  'vps-llm',
  'openai-whisper',
  'faster-whisper',
  'web-speech',
  'coqui',
  'easyocr',
  'trocr',
] as const;
export type ProviderId = (typeof PROVIDERS)[number];

/** Which path served a request: the production cohort's provider, the MVP provider, or MVP after a production failure. */
export type Route = 'production' | 'mvp' | 'fallback';
/** A rollup's route: a request's route, or `shadow`, the production provider's off-path calls of the shadow comparison (counted for cost, left out of the production route's analysis). */
export type RollupRoute = Route | 'shadow';

export const MIGRATION_STATUSES = ['mvp', 'migrating', 'production', 'rollback'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** Milliseconds since the Unix epoch. Injected so every decision is reproducible in a test. */
export interface Clock {
  now(): number;
}

/** A uniform number in [0, 1). Injected for the same reason as the clock. */
export type RandomSource = () => number;

/** Timers, injected like the clock: the hedge of a route is scheduled through them. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
