// One answer's compute time, as a sink for one call to a host we run: the `X-Bascule-Busy-Ms` header when
// the host sends one (the model images), else llama.cpp's `timings` from the body (`vps-llm`). At most one
// sample per answer, the header first: a proxy that adds the header in front of llama.cpp is not counted
// twice. Made only for a host with a meter (a paid API's calls make none and read nothing).
import { llamaComputeMs } from './llama-timings.ts';
import type { BusySink } from './service-time.ts';

export class AnswerBusy implements BusySink {
  private sampled = false;

  constructor(private readonly meter: BusySink) {}

  /** The header's value (the upstream call reads it on a 2xx answer). */
  record(ms: number): void {
    if (this.sampled || !Number.isFinite(ms) || ms < 0) return;
    this.sampled = true;
    this.meter.record(ms);
  }

  /** The answer's `timings` (llama.cpp), used only when the header gave no sample. */
  recordTimings(timings: unknown): void {
    if (this.sampled) return;
    const ms = llamaComputeMs(timings);
    if (ms !== undefined) this.record(ms);
  }
}
