// Streamed chat: failover only before the first event; a stream that breaks after it ends with an explicit
// error event (never a silent truncation) and is not replayed on another provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '@bascule/contracts';
import { auth, startBrokenStreamUpstream, startPublicStack, type BrokenStreamUpstream, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
let broken: BrokenStreamUpstream;
beforeAll(async () => {
  broken = await startBrokenStreamUpstream();
  stack = await startPublicStack((loaded) => {
    loaded.config.components.llm!.providers.groq!.baseUrl = broken.baseUrl;
  });
  stack.setWeight('llm', 100);
});
afterAll(async () => {
  await stack.close();
  await broken.close();
});

async function streamChat() {
  const res = await fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': 'eleve-3' },
    body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'Une histoire' }] }),
  });
  const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
  return { res, events };
}

const hfRequests = () => stack.lab.state().find((u) => u.name === 'huggingface')!.requests;

describe('streamed chat', () => {
  it('fails over to the MVP when production fails before its first event', async () => {
    broken.mode = 'fail-before';
    const { res, events } = await streamChat();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bascule-provider')).toBe('huggingface');
    expect(res.headers.get('x-bascule-route')).toBe('fallback');
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.length).toBeGreaterThan(2);
  });

  it('ends with an error event, no [DONE] and no replay, when production breaks after its first event', async () => {
    broken.mode = 'break-after-first';
    const before = hfRequests();
    const { res, events } = await streamChat();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bascule-provider')).toBe('groq');
    expect(JSON.parse(events[0]!).choices[0].delta.content).toBe('Le ');
    expect(events).not.toContain('[DONE]');
    const last = ErrorBodySchema.parse(JSON.parse(events.at(-1)!));
    expect(last.error).toMatchObject({ code: 'upstream_failed', component: 'llm' });
    expect(hfRequests()).toBe(before);
  });

  it('records the broken stream as a failed attempt of the production provider', async () => {
    broken.mode = 'break-after-first';
    await streamChat();
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/bascule_upstream_attempts_total\{[^}]*provider="groq"[^}]*outcome="(unknown|connection)"[^}]*\} [1-9]/);
    // Streamed answers are counted like the others, with the gateway's overhead.
    expect(metrics).toMatch(/bascule_requests_total\{component="llm",route="fallback",status="200"\} [1-9]/);
    expect(metrics).toMatch(/bascule_overhead_seconds_count\{component="llm"\} [1-9]/);
  });
});

describe('a child leaving during a stream', () => {
  let slow: PublicStack;
  beforeAll(async () => {
    slow = await startPublicStack(undefined, 1); // the lab's realistic token pace
  });
  afterAll(async () => {
    await slow.close();
  });

  it('is not counted as a failure of the provider', async () => {
    const controller = new AbortController();
    const res = await fetch(`${slow.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': 'eleve-4' },
      body: JSON.stringify({ stream: true, max_tokens: 400, messages: [{ role: 'user', content: 'Une longue histoire' }] }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the first event arrived
    controller.abort();
    await reader.closed.catch(() => undefined);
    let metrics = '';
    for (let i = 0; i < 50 && !/bascule_upstream_attempts_total\{[^}]*provider="huggingface"/.test(metrics); i++) {
      await new Promise((r) => setTimeout(r, 50));
      metrics = await (await fetch(`${slow.url}/metrics`)).text();
    }
    expect(metrics).toMatch(/bascule_upstream_attempts_total\{provider="huggingface",component="llm",route="mvp",outcome="ok"\} 1/);
    expect(metrics).not.toMatch(/bascule_upstream_attempts_total\{provider="huggingface",[^}]*outcome="(?!ok)/);
  });
});
