// User satisfaction on a gateway: ratings counted in memory on the request path (SatisfactionBuffer),
// written to the store every `flushIntervalMs` by a timer (never awaited by a request), and read back
// (every replica's minutes, plus this one's unflushed) for the criterion, the alert and the admin API.
// While the store is away the ratings wait in memory (bounded), and reads fall back on the last window read.
import { mergeSatisfaction, type Component, type Rating, type SatisfactionMinute } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import { LastRead } from '../store/last-read.ts';
import { BufferFlusher } from '../store/serial-flush.ts';
import { SatisfactionBuffer } from './buffer.ts';

export interface RatingsOptions {
  /** How often the ratings are written (default 1 s, as the rollups). */
  flushIntervalMs?: number;
  /** Minute aggregates kept in memory while the store is away (default 5 000). */
  maxPendingMinutes?: number;
  log?: { warn(obj: object, msg: string): void };
}

export class Ratings extends BufferFlusher<SatisfactionMinute> {
  readonly buffer: SatisfactionBuffer;
  private readonly lastRead = new LastRead<SatisfactionMinute>();

  constructor(
    private readonly store: GatewayStore,
    options: RatingsOptions = {},
  ) {
    const buffer = new SatisfactionBuffer(options.maxPendingMinutes);
    super(options.flushIntervalMs ?? 1_000, {
      take: () => (buffer.size === 0 ? [] : buffer.take()),
      write: (rows) => store.addSatisfaction(rows),
      restore: (rows) => buffer.restore(rows),
      failed: (error) => options.log?.warn({ err: error instanceof Error ? error.message : String(error), pending: buffer.size, dropped: buffer.droppedRatings }, 'ratings kept in memory: store write failed'),
    });
    this.buffer = buffer;
  }

  /** The request path: one rating into this minute's aggregate, in memory. */
  record(r: Rating): void {
    this.buffer.record(r);
  }

  /** A component's ratings since `since`: the stored minutes (the last read while the store is away) and the unflushed ones. */
  async since(component: Component, since: number): Promise<SatisfactionMinute[]> {
    const stored = await this.lastRead.since(component, since, () => this.store.satisfactionSince(since, component));
    const unflushed = [...this.buffer.values()].filter((m) => m.component === component && m.minute >= since);
    return mergeSatisfaction([...stored, ...unflushed]);
  }
}
