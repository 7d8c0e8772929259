// The timer every in-memory buffer (the rollups, the shadow scores, the ratings) is written by: a write every
// `intervalMs` off the request path, one at a time. A call during a write waits for it and then writes what
// came meanwhile, so two writes of one buffer never race (the store adds what they carry: an overlap would
// count twice). BufferFlusher, below, is that write for a buffer: it takes the rows and puts them back if the
// store refuses them.
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

/** One in-memory buffer as its flusher sees it: what to take, where to write it, how to put it back. */
export interface BufferedWrite<T> {
  /** Takes the rows due for writing out of the buffer (none: nothing to write). */
  take(): T[];
  write(rows: T[]): Promise<void>;
  /** Puts the taken rows back after a failed write (merged with what came meanwhile, then bounded). */
  restore(rows: readonly T[]): void;
  /** Says that a write failed (the rows are back in the buffer by then); the next tick tries again. */
  failed(error: unknown): void;
}

/** A buffer written every `intervalMs` by a SerialFlush: take, write, and put back if the store refuses. */
export class BufferFlusher<T> {
  private readonly serial: SerialFlush;

  constructor(
    intervalMs: number,
    private readonly io: BufferedWrite<T>,
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

  private async write(): Promise<void> {
    const rows = this.io.take();
    if (rows.length === 0) return;
    try {
      await this.io.write(rows);
    } catch (error) {
      this.io.restore(rows);
      this.io.failed(error);
      throw error;
    }
  }
}
