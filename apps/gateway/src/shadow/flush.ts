// Writes the shadow scores of every finished minute to the store (`quality_results`), every `intervalMs`:
// one row per minute, component, provider and measure from this gateway. Off the request path; a failed
// write puts the rows back (bounded), and the next flush tries again. On shutdown, everything is written.
import { minuteOf, type Clock } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import type { ShadowScores } from './scores.ts';

export class ShadowFlusher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<GatewayStore, 'addQualityResults'>,
    private readonly scores: ShadowScores,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes the finished minutes (every minute with `all`, as on shutdown); one write at a time. */
  async flush(all = false): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    const rows = this.scores.take(all ? Number.POSITIVE_INFINITY : minuteOf(this.clock.now()));
    if (rows.length === 0) return;
    const write = this.store.addQualityResults(rows).catch((error: unknown) => {
      this.scores.restore(rows);
      this.log.warn({ err: error instanceof Error ? error.message : String(error), pending: this.scores.size }, 'shadow scores kept in memory: store write failed');
      throw error;
    });
    this.inFlight = write;
    try {
      await write;
    } finally {
      this.inFlight = null;
    }
  }
}
