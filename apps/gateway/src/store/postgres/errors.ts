// Which failures mean "the database is away" (503, keep routing, retry later) rather than a refused
// statement: anything from the driver without a SQLSTATE (refused, reset, timed out while connecting or
// waiting), or a SQLSTATE of the connection (08), operator-intervention (57: shutdown, statement timeout)
// or resources (53) class. The store's own errors (stale state, lost lease) pass through as they are.
import pg from 'pg';
import { LeaseLostError, StaleStateError, StoreUnavailableError } from '../types.ts';

export function classify(error: unknown): never {
  if (error instanceof StaleStateError || error instanceof LeaseLostError || error instanceof StoreUnavailableError) throw error;
  if (error instanceof pg.DatabaseError && !/^(08|57|53)/.test(error.code ?? '')) throw error;
  throw new StoreUnavailableError(error);
}
