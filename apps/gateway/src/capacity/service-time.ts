// A host's measured service time: the model's own compute time per request, as the image reports it in
// `X-Bascule-Busy-Ms`, folded into an exponentially weighted mean. In memory, per replica: the service time
// is a property of the host (its card, model and settings), not of who calls it, so each replica's sample of
// the host's answers is representative and no replica needs the others' (unlike the request rates, which
// are summed across replicas from the stored rollups).

/** Weight of the newest sample: the mean follows a change of model or card within ~30 requests. */
export const SERVICE_TIME_ALPHA = 0.1;

export interface ServiceTimeSnapshot {
  /** Mean compute time per request (ms); null before the first sample. */
  meanMs: number | null;
  samples: number;
}

/** Where an adapter reports one answer's compute time (the upstream call reads the header into it). */
export interface BusySink {
  record(ms: number): void;
}

export class ServiceTimeMeter implements BusySink {
  private mean: number | null = null;
  private count = 0;

  constructor(private readonly alpha: number = SERVICE_TIME_ALPHA) {}

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return; // a garbled header is no sample
    this.mean = this.mean === null ? ms : this.mean + this.alpha * (ms - this.mean);
    this.count++;
  }

  snapshot(): ServiceTimeSnapshot {
    return { meanMs: this.mean, samples: this.count };
  }
}
