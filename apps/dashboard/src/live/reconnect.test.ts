import { describe, expect, it } from 'vitest';
import { afterDisconnect, backoffDelay, connecting, DEFAULT_BACKOFF, type ConnectionState } from './reconnect.ts';

const policy = { initialMs: 500, maxMs: 8000, stableMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the cap, with jitter in [ceiling/2, ceiling]', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });

  it('honours a longer retry asked by the server', () => {
    expect(backoffDelay(1, policy, () => 0, 5000)).toBe(5000);
    expect(backoffDelay(6, policy, () => 0, 100)).toBe(4000);
  });
});

describe('connection state', () => {
  it('grows the attempt count while connections keep failing, and keeps it through connecting', () => {
    let state: ConnectionState = { kind: 'connecting', attempt: 0 };
    const attempts: number[] = [];
    for (let i = 0; i < 4; i++) {
      state = afterDisconnect(state, 1000, 'refused', policy, () => 0.5);
      attempts.push(state.kind === 'disconnected' ? state.attempt : -1);
      state = connecting(state);
    }
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('restarts from the first delay after a connection that stayed up', () => {
    const stable = afterDisconnect({ kind: 'live', since: 0 }, 60_000, 'stream ended', policy, () => 0);
    expect(stable).toEqual({ kind: 'disconnected', attempt: 1, retryAt: 60_250, error: 'stream ended' });
    const flapping = afterDisconnect({ kind: 'live', since: 59_000 }, 60_000, 'stream ended', policy, () => 0);
    expect(flapping).toMatchObject({ attempt: 2, retryAt: 60_500 });
  });

  it('schedules the retry in the future by the computed delay', () => {
    const state = afterDisconnect({ kind: 'connecting', attempt: 3 }, 10_000, 'HTTP 502', DEFAULT_BACKOFF, () => 1);
    expect(state).toMatchObject({ kind: 'disconnected', attempt: 4, retryAt: 10_000 + 4000 });
  });
});
