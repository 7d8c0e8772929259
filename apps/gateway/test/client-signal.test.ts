// The client's signal is its connection's (src/http/client-signal.ts): a client that closes its connection
// mid-answer cuts the upstream attempt, which counts as `cancelled` and is not followed by a fallback
// (decision 0007), while a keep-alive connection serves request after request with the same, live signal.
import { request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack();
  stack.setWeight('llm', 100);
});
afterEach(async () => {
  await stack.lab.setFault('groq', { mode: 'ok' });
});
afterAll(async () => {
  await stack.close();
});

const requestsTo = (name: string) => stack.lab.state().find((u) => u.name === name)!.requests;
const body = JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour' }] });

function post(agent: Agent | false): { sent: Promise<{ res: IncomingMessage; reused: boolean; text: string }>; destroy: () => void } {
  const url = new URL(`${stack.url}/v1/chat/completions`);
  const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, timeout: 10_000, headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': 'eleve-7' } });
  const sent = new Promise<{ res: IncomingMessage; reused: boolean; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ res, reused: req.reusedSocket, text }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
  });
  req.end(body);
  return { sent, destroy: () => req.destroy() };
}

async function attemptLines(): Promise<string[]> {
  const text = await (await fetch(`${stack.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  return text.split('\n').filter((line) => line.startsWith('bascule_upstream_attempts_total{'));
}

/** Yields real event-loop turns (no clock assertion) until `done()`. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 400; turn += 1) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never met');
}

describe("the client's signal", () => {
  it('is one live signal per keep-alive connection: every request on it is answered, none cancelled', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await post(agent).sent);
      expect(answers.map((a) => a.res.statusCode)).toEqual([200, 200, 200]);
      expect(answers.map((a) => a.reused)).toEqual([false, true, true]);
      expect(answers.every((a) => JSON.parse(a.text).object === 'chat.completion')).toBe(true);
      expect((await attemptLines()).filter((line) => line.includes('outcome="cancelled"'))).toEqual([]);
    } finally {
      agent.destroy();
    }
  });

  it('aborts when the client closes its connection mid-attempt: cancelled, no fallback, no timeout', async () => {
    await stack.lab.setFault('groq', { mode: 'slow', latencyMs: 4_000 });
    const groqBefore = requestsTo('groq');
    const mvpBefore = requestsTo('huggingface');
    const call = post(false);
    call.sent.catch(() => undefined); // destroyed below, on purpose
    await until(() => requestsTo('groq') > groqBefore);
    call.destroy();
    await until(async () => (await attemptLines()).some((line) => line.includes('provider="groq"') && line.includes('outcome="cancelled"')));
    const lines = await attemptLines();
    expect(lines).toContain('bascule_upstream_attempts_total{provider="groq",component="llm",route="production",outcome="cancelled"} 1');
    expect(lines.filter((line) => line.includes('outcome="timeout"'))).toEqual([]);
    expect(requestsTo('huggingface')).toBe(mvpBefore);
  });
});
