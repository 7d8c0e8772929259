import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminStreamMessageSchema, type AdminStreamMessage } from '@bascule/contracts';
import { startGateway, type Gateway } from '../src/app.ts';
import { adminHeaders, testConfig } from './helpers.ts';

let url: string;
let close: () => Promise<void>;
let gateway: Gateway;
beforeAll(async () => {
  ({ url, close, gateway } = await startGateway({
    loaded: testConfig(),
    storePath: ':memory:',
    logger: false,
    analysisLoop: false,
    dashboardDir: null,
    stream: { metricsIntervalMs: 100, heartbeatMs: 50 },
  }));
});
afterAll(() => close());

/** Reads SSE messages (and comment lines) until `until` says stop. */
async function readStream(until: (messages: AdminStreamMessage[], comments: string[]) => boolean, onOpen?: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${url}/admin/v1/stream`, { headers: adminHeaders, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const messages: AdminStreamMessage[] = [];
  const comments: string[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body!.getReader();
  let opened = false;
  while (!until(messages, comments)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) comments.push(block);
      const type = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (type && data) messages.push(AdminStreamMessageSchema.parse({ type, data: JSON.parse(data) }));
    }
    if (!opened && messages.length >= 4 && onOpen) {
      opened = true;
      await onOpen();
    }
  }
  controller.abort();
  return { messages, comments };
}

describe('admin event stream', () => {
  it('sends the state of every component, then changes, metrics and heartbeats', async () => {
    const { messages, comments } = await readStream(
      (m, c) => m.some((x) => x.type === 'event') && m.filter((x) => x.type === 'metrics').length >= 8 && c.length >= 1,
      async () => {
        const res = await fetch(`${url}/admin/v1/components/llm/weight`, { method: 'PUT', headers: { ...adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ weight: 20, reason: 'stream test', override: { reason: 'a test of the stream' } }) });
        expect(res.status).toBe(200);
      },
    );
    expect(messages.slice(0, 4).map((m) => m.type === 'state' && m.data.component)).toEqual(['llm', 'stt', 'tts', 'vision']);
    const event = messages.find((m) => m.type === 'event');
    expect(event?.data).toMatchObject({ component: 'llm', action: 'set-weight', reason: expect.stringMatching(/^stream test · OVERRIDE: a test of the stream \(despite: /) });
    const changed = messages.filter((m) => m.type === 'state' && m.data.component === 'llm');
    expect(changed.at(-1)?.data).toMatchObject({ weight: 20 });
    expect(comments[0]).toMatch(/^: heartbeat/);
  });

  it('releases the subscription when the client goes away', async () => {
    await readStream((m) => m.length >= 4);
    for (let i = 0; i < 50 && gateway.runtime.listenerCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(gateway.runtime.listenerCount).toBe(0);
  });

  it('refuses a stream without the admin token', async () => {
    const res = await fetch(`${url}/admin/v1/stream`);
    expect(res.status).toBe(401);
  });
});
