// Realistic response times per upstream: log-normal, with the medians the plan observed (external APIs
// in the seconds, the VPS models in a few hundred milliseconds). Multiplied by the lab's latencyScale.
// The spreads keep the MVP providers mostly inside the gateway's default deadlines (llm 5 s, others 2 s),
// so that a sandbox without faults shows a healthy baseline rather than a stream of timeouts.
import { logNormal, type Rng } from './rng.ts';
import type { UpstreamName } from './names.ts';

export interface LatencyProfile {
  /** Median response time in milliseconds at latencyScale 1. */
  medianMs: number;
  /** Spread: sigma of the underlying normal (0.5 makes p95 ≈ 2.3 × the median). */
  sigma: number;
}

export const LATENCY_PROFILES: Readonly<Record<UpstreamName, LatencyProfile>> = {
  huggingface: { medianMs: 1200, sigma: 0.5 },
  groq: { medianMs: 350, sigma: 0.4 },
  'vps-llm': { medianMs: 400, sigma: 0.3 },
  // A short clip: ~1 s median, rarely past the 2 s stt deadline (about 1 % of requests).
  'openai-whisper': { medianMs: 1000, sigma: 0.3 },
  'faster-whisper': { medianMs: 300, sigma: 0.25 },
  coqui: { medianMs: 250, sigma: 0.25 },
  easyocr: { medianMs: 600, sigma: 0.35 },
  trocr: { medianMs: 150, sigma: 0.25 },
};

/** Cap so one unlucky draw never looks like an outage (the `slow` fault is for that). */
const MAX_FACTOR = 6;

export function sampleLatencyMs(rng: Rng, profile: LatencyProfile, scale: number): number {
  if (scale <= 0) return 0;
  const raw = logNormal(rng, profile.medianMs, profile.sigma);
  return Math.round(Math.min(raw, profile.medianMs * MAX_FACTOR) * scale);
}
