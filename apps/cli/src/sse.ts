// Server-sent events as the HTML standard defines the stream (https://html.spec.whatwg.org/#event-stream-interpretation):
// lines, `event:` and `data:` fields, a blank line dispatches, `:` starts a comment (the gateway's heartbeat).
export interface ServerEvent {
  event: string;
  data: string;
}

export async function* readEvents(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<ServerEvent> {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  }
}
