// The admin token is a secret: it is kept in sessionStorage (this tab, gone when the tab closes), never in
// localStorage or a cookie, so it never lands on disk beyond the browser's session. A new tab would ask
// for it again: instead it asks the open tabs of the same origin over a BroadcastChannel, in memory, and
// one answers. Forgetting it in one tab forgets it in all.
const KEY = 'bascule.adminToken';
const CHANNEL = 'bascule.adminToken';

type Message = { type: 'ask' } | { type: 'token'; token: string } | { type: 'forget' };

let channel: BroadcastChannel | null = null;
function open(): BroadcastChannel | null {
  if (channel || typeof BroadcastChannel === 'undefined') return channel;
  channel = new BroadcastChannel(CHANNEL);
  channel.addEventListener('message', (event: MessageEvent<Message>) => {
    const token = sessionStorage.getItem(KEY);
    if (event.data?.type === 'ask' && token) channel?.postMessage({ type: 'token', token } satisfies Message);
  });
  return channel;
}

export function loadToken(): string | null {
  open();
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
  open();
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
  open()?.postMessage({ type: 'forget' } satisfies Message);
}

/**
 * Asks the other open tabs for the token; `onToken` gets it (saved in this tab) if one answers, and
 * `onForget` runs when another tab forgets it. Returns a function that stops listening.
 */
export function shareToken(onToken: (token: string) => void, onForget: () => void): () => void {
  const c = open();
  if (!c) return () => undefined;
  const listener = (event: MessageEvent<Message>): void => {
    if (event.data?.type === 'token' && !sessionStorage.getItem(KEY)) {
      sessionStorage.setItem(KEY, event.data.token);
      onToken(event.data.token);
    } else if (event.data?.type === 'forget' && sessionStorage.getItem(KEY)) {
      sessionStorage.removeItem(KEY);
      onForget();
    }
  };
  c.addEventListener('message', listener);
  if (!sessionStorage.getItem(KEY)) c.postMessage({ type: 'ask' } satisfies Message);
  return () => c.removeEventListener('message', listener);
}
