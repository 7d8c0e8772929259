// The admin API's event stream (GET /admin/v1/stream) read with a streamed fetch, so the admin token
// travels in the Authorization header like every other admin call (EventSource cannot send headers, and a
// token in a URL ends up in logs). Reconnects by itself with backoff; reports its state for the banner.
import { createSseParser, type SseMessage } from './sseParser.ts';
import { afterDisconnect, connecting, DEFAULT_BACKOFF, type BackoffPolicy, type ConnectionState } from './reconnect.ts';

export interface EventStreamOptions {
  url: string;
  token: string | null;
  onMessage: (message: SseMessage) => void;
  onState: (state: ConnectionState) => void;
  policy?: BackoffPolicy;
  /** Time allowed for the response headers to arrive. */
  connectTimeoutMs?: number;
}

export interface EventStreamHandle {
  close(): void;
  /** Reconnect now instead of waiting for the backoff. */
  retryNow(): void;
}

class StreamError extends Error {
  constructor(
    message: string,
    readonly unauthorized = false,
  ) {
    super(message);
  }
}

export function openEventStream(options: EventStreamOptions): EventStreamHandle {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  let state: ConnectionState = { kind: 'connecting', attempt: 0 };
  let closed = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastEventId: string | null = null;
  let serverRetry: number | null = null;

  const setState = (next: ConnectionState): void => {
    state = next;
    options.onState(next);
  };

  async function readOnce(): Promise<void> {
    controller = new AbortController();
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const connectTimer = setTimeout(() => controller?.abort(new StreamError('timed out connecting')), options.connectTimeoutMs ?? 10_000);
    let response: Response;
    try {
      response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
    } finally {
      clearTimeout(connectTimer);
    }
    if (response.status === 401 || response.status === 403) throw new StreamError(`HTTP ${response.status}`, true);
    if (!response.ok || !response.body) throw new StreamError(`HTTP ${response.status}`);
    setState({ kind: 'live', since: Date.now() });
    const parser = createSseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new StreamError('stream ended');
      for (const message of parser.push(value)) options.onMessage(message);
      lastEventId = parser.lastEventId() ?? lastEventId;
      serverRetry = parser.retryMs() ?? serverRetry;
    }
  }

  function schedule(): void {
    if (closed || state.kind !== 'disconnected') return;
    timer = setTimeout(run, Math.max(0, state.retryAt - Date.now()));
  }

  function run(): void {
    if (closed) return;
    timer = null;
    setState(connecting(state));
    readOnce().catch((error: unknown) => {
      if (closed) return;
      if (error instanceof StreamError && error.unauthorized) return setState({ kind: 'unauthorized' });
      const message = error instanceof Error ? error.message : String(error);
      setState(afterDisconnect(state, Date.now(), message, policy, Math.random, serverRetry));
      schedule();
    });
  }

  run();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
    retryNow() {
      if (closed || state.kind === 'live' || state.kind === 'connecting') return;
      if (timer) clearTimeout(timer);
      run();
    },
  };
}
