// Writes the pending rollups to the store every `intervalMs` (1 s by default: after a kill -9 at most that
// much of the metrics is lost). Every replica flushes its own; the store adds them into the same minutes.
import type { MinuteRollup } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import type { RollupBuffer } from './rollup-buffer.ts';

export class RollupFlusher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly store: GatewayStore,
    private readonly buffer: RollupBuffer,
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

  /** One write at a time; a call during a write waits for it, then writes what came meanwhile. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.buffer.size === 0) return;
    const taken = this.buffer.take();
    const write = this.write(taken);
    this.inFlight = write;
    try {
      await write;
    } finally {
      this.inFlight = null;
    }
  }

  /** Puts the rollups back if the write fails (merged with those recorded meanwhile, then bounded). */
  private async write(taken: MinuteRollup[]): Promise<void> {
    try {
      await this.store.addRollups(taken);
    } catch (error) {
      this.buffer.restore(taken);
      this.log.warn({ err: error instanceof Error ? error.message : String(error), pending: this.buffer.size, dropped: this.buffer.droppedAttempts }, 'rollups kept in memory: store write failed');
      throw error;
    }
  }
}
