// Writes the shadow scores of every finished minute to the store (`quality_results`), every `intervalMs`:
// one row per minute, component, provider and measure from this gateway. Off the request path; a failed
// write puts the rows back (bounded), and the next flush tries again. On shutdown, everything is written.
import { minuteOf, type Clock } from '@bascule/routing';
import type { GatewayStore, QualityRecord } from '../store/index.ts';
import { BufferFlusher } from '../store/serial-flush.ts';
import type { ShadowScores } from './scores.ts';

export class ShadowFlusher extends BufferFlusher<Omit<QualityRecord, 'id'>> {
  /** `all`: the next write takes every minute, the current one included (set by `flush(true)` on shutdown). */
  private readonly mode: { all: boolean };

  constructor(store: Pick<GatewayStore, 'addQualityResults'>, scores: ShadowScores, clock: Clock, intervalMs: number, log: { warn(obj: object, msg: string): void }) {
    const mode = { all: false };
    super(intervalMs, {
      take: () => scores.take(mode.all ? Number.POSITIVE_INFINITY : minuteOf(clock.now())),
      write: (rows) => store.addQualityResults(rows),
      restore: (rows) => scores.restore(rows),
      failed: (error) => log.warn({ err: error instanceof Error ? error.message : String(error), pending: scores.size }, 'shadow scores kept in memory: store write failed'),
    });
    this.mode = mode;
  }

  /** Writes the finished minutes (every minute with `all`, as on shutdown); one write at a time. */
  override flush(all = false): Promise<void> {
    if (all) this.mode.all = true;
    return super.flush();
  }
}
