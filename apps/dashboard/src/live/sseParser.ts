// An incremental parser for the server-sent events wire format (WHATWG HTML §9.2.6), fed with text
// chunks as they arrive from a streamed fetch body. Pure: no I/O, no timers.

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export interface SseParser {
  /** Feed a decoded chunk; returns the complete messages it finished. */
  push(chunk: string): SseMessage[];
  /** The last event id seen, for a reconnect's Last-Event-ID. */
  lastEventId(): string | null;
  /** The reconnection delay the server asked for, if any. */
  retryMs(): number | null;
}

export function createSseParser(): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let lastId: string | null = null;
  let retry: number | null = null;

  function dispatch(out: SseMessage[]): void {
    if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n'), id: lastId });
    data = [];
    event = '';
  }

  function line(text: string, out: SseMessage[]): void {
    if (text === '') return dispatch(out);
    if (text.startsWith(':')) return; // comment / keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }

  return {
    push(chunk) {
      buffer += chunk;
      const out: SseMessage[] = [];
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        line(buffer.slice(0, match.index), out);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return out;
    },
    lastEventId: () => lastId,
    retryMs: () => retry,
  };
}
