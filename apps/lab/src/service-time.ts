// The compute time the self-hosted stand-ins report per answer, in the `X-Bascule-Busy-Ms` header, as the
// model images do (libs/contracts SERVICE_BUSY_HEADER), or, for vps-llm, in llama.cpp's `timings` object
// of the body, as `llama-server` does: what the gateway's capacity forecast is built on.
// The defaults are the paper figures of docs/capacity.md on the staging card (RTX 4000 SFF Ada), to be
// replaced by measured ones when the GPU bench has run. Changing it changes what is reported only, not the
// lab's simulated latency: a scenario can play a slow GPU without slowing its test.
import type { UpstreamName } from './names.ts';

export const DEFAULT_BUSY_MS: Readonly<Partial<Record<UpstreamName, number>>> = {
  // large-v3 fp16, beam 5, one 30 s window per clip (≈ 100 ms of encoder, the rest beam decoding).
  'faster-whisper': 250,
  // A short sentence with the VITS voice.
  coqui: 120,
  // One letter through TrOCR-base.
  trocr: 40,
  // Llama 3.1 8B Q4 on the same card: ≈ 1.1 s for one exercise.
  'vps-llm': 1100,
};

/** Whether the upstream stands in for a model we run (and so reports its service time). */
export function reportsServiceTime(name: UpstreamName): boolean {
  return DEFAULT_BUSY_MS[name] !== undefined;
}
