// The client's watch (src/http/client-signal.ts): what a hedged route registers with instead of an AbortSignal
// listener. Each route in flight hears the client leave exactly once, a route that ended hears nothing, and
// the AbortSignal handed to undici aborts with it whichever of the two came first.
import { describe, expect, it } from 'vitest';
import { ClientWatch } from '../src/http/client-signal.ts';

function listener() {
  const heard = { count: 0, handleEvent: () => void (heard.count += 1) };
  return heard;
}

describe('ClientWatch', () => {
  it('tells every route still registered once, pipelined ones included, and none that left', () => {
    const watch = new ClientWatch();
    const [first, second, third, ended] = [listener(), listener(), listener(), listener()];
    for (const l of [first, ended, second, third]) watch.addEventListener('abort', l);
    watch.removeEventListener('abort', ended);
    watch.abort();
    watch.abort();
    expect([first.count, second.count, third.count, ended.count]).toEqual([1, 1, 1, 0]);
    expect(watch.aborted).toBe(true);
    expect((watch.reason as DOMException).name).toBe('AbortError');
  });

  it('frees the first slot for the next request on a keep-alive connection', () => {
    const watch = new ClientWatch();
    const [a, b] = [listener(), listener()];
    watch.addEventListener('abort', a);
    watch.removeEventListener('abort', a);
    watch.addEventListener('abort', b);
    watch.abort(new Error('gone'));
    expect([a.count, b.count]).toEqual([0, 1]);
  });

  it('registers nothing once aborted, and its signal aborts whether asked for before or after', () => {
    const before = new ClientWatch();
    const early = before.signal;
    before.abort(new Error('closed'));
    expect(early.aborted).toBe(true);
    expect((early.reason as Error).message).toBe('closed');

    const after = new ClientWatch();
    after.abort(new Error('closed'));
    const late = listener();
    after.addEventListener('abort', late);
    expect(after.signal.aborted).toBe(true);
    expect(late.count).toBe(0);
  });
});
