// The lab's control API (apps/lab): fault injection per upstream at run time, used by `npm start`,
// the chaos tests and the benchmarks. `PUT /lab/v1/upstreams/{name}/fault`.
import { z } from 'zod';

export const FAULT_MODES = ['ok', 'down', 'slow', 'error', 'reset', 'degrade'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** The share of wrong answers of a `degrade` fault when the body does not say. */
export const DEFAULT_DEGRADE_WER = 0.3;

const fraction = () => z.number({ error: 'expected a fraction between 0 and 1' }).min(0, 'expected a fraction between 0 and 1').max(1, 'expected a fraction between 0 and 1');

/**
 * `ok`: normal answers; `down`: connection refused (nothing listens); `slow`: answers after `latencyMs`;
 * `error`: a 5xx for a share `rate` (0..1, default 1) of requests; `reset`: the connection is reset;
 * `degrade`: wrong answers at the same speed and status, at the rate `wer` (0..1, default 0.3): words of a
 * transcript, letters read, synthesized files (wrong duration or sample rate), chat answers (English or empty).
 */
export const FaultRequestSchema = z
  .object({
    mode: z.enum(FAULT_MODES, { error: `expected one of ${FAULT_MODES.join(', ')}` }),
    latencyMs: z.number().int('expected a whole number of milliseconds').min(0, 'expected a whole number of milliseconds').max(600_000).optional(),
    rate: fraction().optional(),
    wer: fraction().optional(),
  })
  .superRefine((fault, ctx) => {
    if (fault.mode === 'slow' && fault.latencyMs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['latencyMs'], message: 'expected the latency of a slow upstream, in milliseconds' });
    }
    if (fault.wer !== undefined && fault.mode !== 'degrade') {
      ctx.addIssue({ code: 'custom', path: ['wer'], message: 'expected only with mode "degrade" (the share of wrong answers)' });
    }
  });
export type FaultRequest = z.infer<typeof FaultRequestSchema>;

/**
 * `PUT /lab/v1/upstreams/{name}/service` (self-hosted upstreams only: faster-whisper, coqui, trocr, vps-llm):
 * the compute time each answer reports in `X-Bascule-Busy-Ms`, as the real images do (vps-llm: in llama.cpp's
 * `timings` object, as `llama-server` does). It only changes what is reported, not how long the lab takes to
 * answer, so a scenario can play a slow GPU without slowing a test.
 */
export const ServiceRequestSchema = z.strictObject({
  busyMs: z.number({ error: 'expected a service time in milliseconds (>= 0)' }).min(0, 'expected a service time in milliseconds (>= 0)').max(600_000, 'expected at most 600000 ms'),
});
export type ServiceRequest = z.infer<typeof ServiceRequestSchema>;
