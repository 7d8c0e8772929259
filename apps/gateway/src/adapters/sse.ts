// Server-sent events reader: yields the `data:` payload of each event of a byte stream.
import { UpstreamProtocolError } from './http.ts';

/** The longest line or event accepted: a chat chunk is well under a KiB; beyond this, the stream is broken. */
export const SSE_MAX_EVENT_BYTES = 1024 * 1024;

export async function* sseData(body: AsyncIterable<Buffer | string>, maxEventBytes = SSE_MAX_EVENT_BYTES): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let pending = 0;
  for await (const piece of body) {
    buffer += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
        pending = 0;
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
        pending += line.length;
      }
    }
    // An event that never ends (no blank line, or no newline at all) must not grow without bound.
    if (buffer.length + pending > maxEventBytes) throw new UpstreamProtocolError(`stream event longer than ${maxEventBytes} characters`);
  }
  if (data.length > 0) yield data.join('\n');
}
