// What the step window and the history cache share: where stored rollups come from, and when a minute can no
// longer change (both fold the settled minutes once and re-read only the recent ones).
import { MINUTE_MS, type Component, type MinuteRollup } from '@bascule/routing';

export interface RollupSource {
  rollupsSince(since: number, component?: Component): Promise<MinuteRollup[]>;
}

/**
 * A minute can still grow after it ends: an attempt is recorded under the minute it started in, when it
 * finishes (within the deadline, or a stream's length), and flushed a few seconds later. Minutes that ended
 * longer ago than this are settled.
 */
export const SETTLE_MS = 10 * MINUTE_MS;
