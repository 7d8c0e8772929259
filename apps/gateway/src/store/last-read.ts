// A component's per-minute rows read from the store, with the last read kept: while the store is away the
// views and criteria go on from what was last read (the minutes still in the window), not from nothing.
import type { Component } from '@bascule/routing';
import { StoreUnavailableError } from './types.ts';

export class LastRead<T extends { minute: number }> {
  private readonly last = new Map<Component, T[]>();

  /** `read()`'s rows, remembered; when the store is unavailable, the last ones read from `since` on. */
  async since(component: Component, since: number, read: () => Promise<T[]>): Promise<T[]> {
    try {
      const rows = await read();
      this.last.set(component, rows);
      return rows;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return (this.last.get(component) ?? []).filter((r) => r.minute >= since);
    }
  }
}
