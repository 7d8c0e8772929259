// Several hosts per self-hosted provider: least-outstanding balancing, a breaker per host (an open one is
// skipped, all open is a provider failure), each host's health in /metrics and the admin view. The pool
// alone first, then a gateway whose faster-whisper has two hosts: two labs' faster-whisper stand-ins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSummarySchema } from '@bascule/contracts';
import { spokenWav, startLab, type Lab } from '@bascule/lab';
import { classifyFailure } from '@bascule/routing';
import { HostPool, NoHostAvailableError } from '../src/adapters/hosts.ts';
import { ADMIN_TOKEN, auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

const clock = { t: 1_000_000, now() { return this.t; } };

describe('HostPool', () => {
  const urls = ['http://10.0.0.2:8000', 'http://10.0.0.3:8000', 'http://10.0.0.4:8000'];

  it('sends the next call to the host with the fewest calls in flight', () => {
    const pool = new HostPool('faster-whisper', urls, clock);
    const [a, b, c] = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set([a.label, b.label, c.label]).size).toBe(3);
    pool.release(b, null, undefined);
    expect(pool.acquire()).toBe(b);
    expect(pool.hosts.map((h) => h.outstanding)).toEqual([1, 1, 1]);
  });

  it('skips a host whose breaker is open, and fails as a transient connection failure when all are', () => {
    const pool = new HostPool('faster-whisper', urls.slice(0, 2), clock, { consecutiveFailures: 1, openMs: 10_000 });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const first = pool.acquire();
    pool.release(first, refused, undefined);
    expect(first.breaker.state()).toBe('open');
    for (let i = 0; i < 4; i++) {
      const host = pool.acquire();
      expect(host).not.toBe(first);
      pool.release(host, null, undefined);
    }
    const second = pool.acquire();
    pool.release(second, refused, undefined);
    const error = (() => {
      try {
        pool.acquire();
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoHostAvailableError);
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', kind: 'connection' });
  });

  it('counts a client error as an answer and leaves a call the caller aborted unjudged', () => {
    const pool = new HostPool('faster-whisper', urls.slice(0, 2), clock, { consecutiveFailures: 1 });
    const host = pool.hosts[0]!;
    pool.release(pool.acquire(), Object.assign(new Error('bad'), { status: 400 }), undefined);
    const aborted = new AbortController();
    aborted.abort();
    pool.release(pool.acquire(), new DOMException('aborted', 'AbortError'), aborted.signal);
    expect(pool.hosts.map((h) => h.breaker.state())).toEqual(['closed', 'closed']);
    expect(host.outstanding).toBe(0);
  });

  it("leaves a shadow call's failure unjudged: the comparison never takes a host away from the students", () => {
    const pool = new HostPool('faster-whisper', urls.slice(0, 2), clock, { consecutiveFailures: 1 });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    pool.release(pool.acquire(), refused, undefined, false);
    expect(pool.hosts.map((h) => h.breaker.state())).toEqual(['closed', 'closed']);
    pool.release(pool.acquire(), refused, undefined);
    expect(pool.hosts.map((h) => h.breaker.state()).filter((s) => s === 'open')).toHaveLength(1);
  });

  it('probes a half-open host before the healthy ones, so a recovered host comes back', () => {
    const pool = new HostPool('faster-whisper', urls.slice(0, 2), clock, { consecutiveFailures: 1, openMs: 1_000 });
    const sick = pool.hosts[0]!;
    sick.breaker.recordFailure();
    clock.t += 1_000;
    const probe = pool.acquire();
    expect(probe).toBe(sick);
    pool.release(probe, null, undefined);
    expect(sick.breaker.state()).toBe('closed');
  });

  it('always takes a lone host: its breaker only reports, the provider breaker decides', () => {
    const pool = new HostPool('openai-whisper', urls.slice(0, 1), clock, { consecutiveFailures: 1 });
    const host = pool.acquire();
    pool.release(host, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), undefined);
    expect(host.breaker.state()).toBe('open');
    expect(pool.acquire()).toBe(host);
    expect(pool.health()[0]).toMatchObject({ state: 'open', outstanding: 1, errorRate: 1 });
  });

  it('labels a host by host:port, never with the credentials its URL may carry', () => {
    const pool = new HostPool('faster-whisper', ['http://gpu:s3cret@10.0.0.9:8000/base/'], clock);
    expect(pool.health()).toEqual([{ host: '10.0.0.9:8000', state: 'closed', outstanding: 0, errorRate: 0 }]);
    expect(pool.hosts[0]!.url('/transcribe')).toBe('http://gpu:s3cret@10.0.0.9:8000/base/transcribe');
  });
});

describe('a gateway with two faster-whisper hosts', () => {
  let second: Lab;
  let stack: PublicStack;
  beforeAll(async () => {
    second = await startLab({ latencyScale: 0 });
    stack = await startPublicStack((loaded) => {
      const fw = loaded.config.components.stt!.providers['faster-whisper']!;
      fw.baseUrls = [fw.baseUrl!, second.upstreams['faster-whisper'].baseUrl];
      delete fw.baseUrl;
    });
    stack.setWeight('stt', 100);
  });
  afterAll(async () => {
    await stack.close();
    await second.close();
  });

  const requestsTo = (lab: Lab) => lab.state().find((u) => u.name === 'faster-whisper')!.requests;
  const hostOf = (lab: Lab) => new URL(lab.upstreams['faster-whisper'].baseUrl).host;

  async function transcribe(student: string) {
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(spokenWav('le chat'))], { type: 'audio/wav' }), 'a.wav');
    const res = await fetch(`${stack.url}/v1/audio/transcriptions`, { method: 'POST', headers: { ...auth(), 'x-student-id': student }, body });
    await res.arrayBuffer();
    return { status: res.status, provider: res.headers.get('x-bascule-provider'), route: res.headers.get('x-bascule-route') };
  }

  const sendRound = (n: number, tag: string) => Promise.all(Array.from({ length: n }, (_, i) => transcribe(`${tag}-${i}`)));
  const hosts = async () =>
    ComponentSummarySchema.parse(await (await fetch(`${stack.url}/admin/v1/components/stt`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()).providers.production.hosts!;

  it('spreads calls over both hosts', async () => {
    const [a0, b0] = [requestsTo(stack.lab), requestsTo(second)];
    const answers = await sendRound(20, 'spread');
    expect(answers.every((a) => a.status === 200 && a.provider === 'faster-whisper')).toBe(true);
    expect(requestsTo(stack.lab) - a0).toBeGreaterThan(0);
    expect(requestsTo(second) - b0).toBeGreaterThan(0);
    expect(requestsTo(stack.lab) - a0 + requestsTo(second) - b0).toBe(20);
  });

  it('skips a host that is down once its breaker opens, with no error for the students; reports it in /metrics and the admin view', async () => {
    await second.setFault('faster-whisper', { mode: 'down' });
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await transcribe(`down-${i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const before = requestsTo(stack.lab);
    const after = await sendRound(6, 'after');
    expect(after.every((a) => a.status === 200 && a.provider === 'faster-whisper' && a.route === 'production')).toBe(true);
    expect(requestsTo(stack.lab) - before).toBe(6);

    const view = await hosts();
    expect(view.map((h) => [h.host, h.state])).toEqual([
      [hostOf(stack.lab), 'closed'],
      [hostOf(second), 'open'],
    ]);
    expect(view[1]!.errorRate).toBeGreaterThan(0);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toContain(`bascule_upstream_host_up{provider="faster-whisper",host="${hostOf(second)}"} 0`);
    expect(metrics).toContain(`bascule_upstream_host_up{provider="faster-whisper",host="${hostOf(stack.lab)}"} 1`);
    expect(metrics).toMatch(/bascule_upstream_host_outstanding\{provider="faster-whisper",host="[^"]+"\} 0/);
  });

  it('counts the provider as failed when every host is down: the MVP serves', async () => {
    await stack.lab.setFault('faster-whisper', { mode: 'down' });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await transcribe(`all-${i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.at(-1)).toMatchObject({ provider: 'openai-whisper', route: 'fallback' });
    expect((await hosts()).map((h) => h.state)).toEqual(['open', 'open']);
  });
});
