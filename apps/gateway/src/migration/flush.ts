// Writes the pending rollups to the store every `intervalMs` (1 s by default: after a kill -9 at most that
// much of the metrics is lost). Every replica flushes its own; the store adds them into the same minutes.
import type { MinuteRollup } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import { BufferFlusher } from '../store/serial-flush.ts';
import type { RollupBuffer } from './rollup-buffer.ts';

export class RollupFlusher extends BufferFlusher<MinuteRollup> {
  constructor(store: GatewayStore, buffer: RollupBuffer, intervalMs: number, log: { warn(obj: object, msg: string): void }) {
    super(intervalMs, {
      // An empty buffer is left alone: taking it would tell the views that the pending rollups changed.
      take: () => (buffer.size === 0 ? [] : buffer.take()),
      write: (rows) => store.addRollups(rows),
      restore: (rows) => buffer.restore(rows),
      failed: (error) => log.warn({ err: error instanceof Error ? error.message : String(error), pending: buffer.size, dropped: buffer.droppedAttempts }, 'rollups kept in memory: store write failed'),
    });
  }
}
