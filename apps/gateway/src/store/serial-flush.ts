// The timer every in-memory buffer (the rollups, the shadow scores, the ratings) is written by: a write every
// `intervalMs` off the request path, one at a time. A call during a write waits for it and then writes what
// came meanwhile, so two writes of one buffer never race (the store adds what they carry: an overlap would
// count twice). The write itself takes its rows and puts them back if the store refuses them.
export class SerialFlush {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly write: () => Promise<void>,
  ) {}

  start(): void {
    if (this.timer) return;
    // A failed write is logged by `write` and retried by the next tick; nothing to do here.
    this.timer = setInterval(() => void this.run().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Waits for the write in flight, then writes; rejects when this write fails. */
  async run(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    const write = this.write();
    this.inFlight = write;
    try {
      await write;
    } finally {
      this.inFlight = null;
    }
  }
}
