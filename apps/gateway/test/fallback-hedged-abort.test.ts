// The losing attempt of a hedged route is aborted: its upstream connection is dropped, for plain and
// streamed chat alike, and the stream the student gets is the winner's only (never a replay or a mix).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

/** A production upstream that takes every request and never answers; it notes when each connection is dropped. */
class HangingUpstream {
  readonly server: Server;
  readonly held: { request: IncomingMessage; closed: Promise<void> }[] = [];
  constructor() {
    this.server = createServer((request) => {
      const closed = new Promise<void>((resolve) => request.socket.once('close', () => resolve()));
      this.held.push({ request, closed });
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let hanging: HangingUpstream;
let stack: PublicStack;
beforeAll(async () => {
  hanging = new HangingUpstream();
  const url = await hanging.listen();
  stack = await startPublicStack((loaded) => {
    loaded.config.components.llm!.providers.groq!.baseUrl = url;
  });
  stack.setWeight('llm', 100);
});
afterAll(async () => {
  await stack.close();
  await hanging.close();
});

const chat = (stream: boolean) =>
  fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': 'eleve-7' },
    body: JSON.stringify({ stream, messages: [{ role: 'user', content: 'Une histoire' }] }),
  });

describe('the hedge that wins drops the other call', () => {
  // The llm deadline is 5 s: a production call left to time out would close only then, after this test's limit.
  it.each([false, true])('stream %s: the MVP started at the hedge answers, and the hanging production call is dropped', { timeout: 4_000 }, async (stream) => {
    const before = hanging.held.length;
    const res = await chat(stream);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect([res.headers.get('x-bascule-provider'), res.headers.get('x-bascule-route')]).toEqual(['huggingface', 'fallback']);
    if (stream) {
      const events = text.split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      expect(events.filter((e) => e === 'data: [DONE]')).toHaveLength(1);
      expect(text).not.toContain('"error"');
    }
    expect(hanging.held.length).toBe(before + 1);
    // Resolves only when the gateway drops the production connection (the test would time out otherwise).
    await hanging.held.at(-1)!.closed;
  });
});
