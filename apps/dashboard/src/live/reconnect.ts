// When to reconnect the live stream: exponential backoff with full jitter, capped, reset after a
// connection has stayed up. Pure (randomness injected) so the policy is tested without timers.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A connection that lasted this long resets the backoff. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 15_000, stableMs: 10_000 };

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live'; since: number }
  | { kind: 'disconnected'; attempt: number; retryAt: number; error: string }
  | { kind: 'unauthorized' };

/** Delay before reconnect attempt `attempt` (1-based). `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number, serverRetryMs: number | null = null): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return serverRetryMs === null ? jittered : Math.max(serverRetryMs, jittered);
}

/** The state after a connection ended (or failed to open). */
export function afterDisconnect(
  previous: ConnectionState,
  now: number,
  error: string,
  policy: BackoffPolicy,
  random: () => number,
  serverRetryMs: number | null = null,
): ConnectionState {
  let attempt: number;
  if (previous.kind === 'live') attempt = now - previous.since >= policy.stableMs ? 1 : 2;
  else if (previous.kind === 'unauthorized') attempt = 1;
  else attempt = previous.attempt + 1;
  return { kind: 'disconnected', attempt, retryAt: now + backoffDelay(attempt, policy, random, serverRetryMs), error };
}

export function connecting(previous: ConnectionState): ConnectionState {
  return { kind: 'connecting', attempt: previous.kind === 'disconnected' ? previous.attempt : 0 };
}
