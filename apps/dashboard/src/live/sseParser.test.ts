import { describe, expect, it } from 'vitest';
import { createSseParser } from './sseParser.ts';

describe('createSseParser', () => {
  it('parses named events with multi-line data and ids', () => {
    const parser = createSseParser();
    const out = parser.push('id: 7\nevent: state\ndata: {"a":1,\ndata: "b":2}\n\n');
    expect(out).toEqual([{ event: 'state', data: '{"a":1,\n"b":2}', id: '7' }]);
    expect(parser.lastEventId()).toBe('7');
  });

  it('assembles messages split across chunks at any byte, including inside \\r\\n', () => {
    const wire = 'event: a\r\ndata: one\r\n\r\n: keep-alive\r\ndata: two\r\n\r\n';
    for (let cut = 0; cut <= wire.length; cut++) {
      const parser = createSseParser();
      const out = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut))];
      expect(out.map((m) => [m.event, m.data])).toEqual([
        ['a', 'one'],
        ['message', 'two'],
      ]);
    }
  });

  it('ignores comments, empty dispatches and unknown fields; keeps the retry hint', () => {
    const parser = createSseParser();
    expect(parser.push(': ping\n\nfoo: bar\n\nretry: 3000\n\n')).toEqual([]);
    expect(parser.retryMs()).toBe(3000);
  });

  it('does not dispatch a message until its blank line arrives', () => {
    const parser = createSseParser();
    expect(parser.push('data: half')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'half', id: null }]);
  });
});
