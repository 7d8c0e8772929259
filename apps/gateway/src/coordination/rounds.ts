// A task the lease holder runs every `intervalMs` off the request path (the analysis loop, the replica
// watch): never two rounds at once. A tick that finds the last round still running (a slow store) is
// skipped rather than queued, so rounds never pile up; stopping waits for the round in progress.
export class Rounds {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    /** A failed round: logged by the owner; the next tick tries again. */
    private readonly onError: (error: unknown) => void,
  ) {}

  get started(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.round()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = null;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
