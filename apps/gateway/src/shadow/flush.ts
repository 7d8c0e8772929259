// Writes the shadow scores of every finished minute to the store (`quality_results`), every `intervalMs`:
// one row per minute, component, provider and measure from this gateway. Off the request path; a failed
// write puts the rows back (bounded), and the next flush tries again. On shutdown, everything is written.
import { minuteOf, type Clock } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import { SerialFlush } from '../store/serial-flush.ts';
import type { ShadowScores } from './scores.ts';

export class ShadowFlusher {
  private readonly serial: SerialFlush;
  /** The next write takes every minute, the current one included (set by `flush(true)` on shutdown). */
  private takeAll = false;

  constructor(
    private readonly store: Pick<GatewayStore, 'addQualityResults'>,
    private readonly scores: ShadowScores,
    private readonly clock: Clock,
    intervalMs: number,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {
    this.serial = new SerialFlush(intervalMs, () => this.write());
  }

  start(): void {
    this.serial.start();
  }

  stop(): void {
    this.serial.stop();
  }

  /** Writes the finished minutes (every minute with `all`, as on shutdown); one write at a time. */
  flush(all = false): Promise<void> {
    if (all) this.takeAll = true;
    return this.serial.run();
  }

  private async write(): Promise<void> {
    const rows = this.scores.take(this.takeAll ? Number.POSITIVE_INFINITY : minuteOf(this.clock.now()));
    if (rows.length === 0) return;
    try {
      await this.store.addQualityResults(rows);
    } catch (error) {
      this.scores.restore(rows);
      this.log.warn({ err: error instanceof Error ? error.message : String(error), pending: this.scores.size }, 'shadow scores kept in memory: store write failed');
      throw error;
    }
  }
}
