// User satisfaction on a gateway: ratings counted in memory on the request path (SatisfactionBuffer),
// written to the store every `flushIntervalMs` by a timer (never awaited by a request), and read back
// (every replica's minutes, plus this one's unflushed) for the criterion, the alert and the admin API.
// While the store is away the ratings wait in memory (bounded), and reads fall back on the last window read.
import { mergeSatisfaction, type Component, type Rating, type SatisfactionMinute } from '@bascule/routing';
import { StoreUnavailableError, type GatewayStore } from '../store/index.ts';
import { SerialFlush } from '../store/serial-flush.ts';
import { SatisfactionBuffer } from './buffer.ts';

export interface RatingsOptions {
  /** How often the ratings are written (default 1 s, as the rollups). */
  flushIntervalMs?: number;
  /** Minute aggregates kept in memory while the store is away (default 5 000). */
  maxPendingMinutes?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class Ratings {
  readonly buffer: SatisfactionBuffer;
  private readonly serial: SerialFlush;
  private readonly lastRead = new Map<Component, SatisfactionMinute[]>();

  constructor(
    private readonly store: GatewayStore,
    private readonly options: RatingsOptions = {},
  ) {
    this.buffer = new SatisfactionBuffer(options.maxPendingMinutes);
    this.serial = new SerialFlush(options.flushIntervalMs ?? 1_000, () => this.write());
  }

  /** The request path: one rating into this minute's aggregate, in memory. */
  record(r: Rating): void {
    this.buffer.record(r);
  }

  start(): void {
    this.serial.start();
  }

  stop(): void {
    this.serial.stop();
  }

  /** One write at a time; the aggregates go back into the buffer if it fails. */
  flush(): Promise<void> {
    return this.serial.run();
  }

  private async write(): Promise<void> {
    if (this.buffer.size === 0) return;
    const taken = this.buffer.take();
    try {
      await this.store.addSatisfaction(taken);
    } catch (error) {
      this.buffer.restore(taken);
      this.options.log?.warn({ err: error instanceof Error ? error.message : String(error), pending: this.buffer.size, dropped: this.buffer.droppedRatings }, 'ratings kept in memory: store write failed');
      throw error;
    }
  }

  /** A component's ratings since `since`: the stored minutes (the last read while the store is away) and the unflushed ones. */
  async since(component: Component, since: number): Promise<SatisfactionMinute[]> {
    let stored: SatisfactionMinute[];
    try {
      stored = await this.store.satisfactionSince(since, component);
      this.lastRead.set(component, stored);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      stored = (this.lastRead.get(component) ?? []).filter((m) => m.minute >= since);
    }
    const unflushed = [...this.buffer.values()].filter((m) => m.component === component && m.minute >= since);
    return mergeSatisfaction([...stored, ...unflushed]);
  }
}
