// Writes the pending rollups to the store every `intervalMs` (1 s by default: after a kill -9 at most that
// much of the metrics is lost). Every replica flushes its own; the store adds them into the same minutes.
import type { MinuteRollup } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import { SerialFlush } from '../store/serial-flush.ts';
import type { RollupBuffer } from './rollup-buffer.ts';

export class RollupFlusher {
  private readonly serial: SerialFlush;

  constructor(
    private readonly store: GatewayStore,
    private readonly buffer: RollupBuffer,
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

  /** One write at a time; a call during a write waits for it, then writes what came meanwhile. */
  flush(): Promise<void> {
    return this.serial.run();
  }

  /** Puts the rollups back if the write fails (merged with those recorded meanwhile, then bounded). */
  private async write(): Promise<void> {
    if (this.buffer.size === 0) return;
    const taken: MinuteRollup[] = this.buffer.take();
    try {
      await this.store.addRollups(taken);
    } catch (error) {
      this.buffer.restore(taken);
      this.log.warn({ err: error instanceof Error ? error.message : String(error), pending: this.buffer.size, dropped: this.buffer.droppedAttempts }, 'rollups kept in memory: store write failed');
      throw error;
    }
  }
}
