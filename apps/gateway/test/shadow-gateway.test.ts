// The shadow comparison through the real gateway: the lab serves the MVP (openai-whisper) and a steerable
// production transcriber (support/shadow-whisper.ts) gets the shadow calls. The student's answer is the
// same and arrives first; a failing shadow call fails nothing; sampling, budget and concurrency hold; the
// scores become quality rows and the transcription criterion PASSes or FAILs from them.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLab, spokenWav, type Lab } from '@bascule/lab';
import { DEFAULT_SHADOW, type ShadowConfig } from '@bascule/contracts';
import { startGateway, type Gateway } from '../src/app.ts';
import { FakeClock } from './helpers.ts';
import { ADMIN_TOKEN, auth, labConfig } from './support/public-stack.ts';
import { startShadowWhisper, type ShadowWhisper } from './support/shadow-whisper.ts';

// Each test starts a gateway and sends up to 50 requests, some with a shadow upstream slowed to seconds.
vi.setConfig({ testTimeout: 30_000 });

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
let lab: Lab;
let whisper: ShadowWhisper;
let timeline: string[];
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
});
afterAll(async () => {
  await lab.close();
});
afterEach(async () => {
  for (const g of open.splice(0)) await g.close();
  await whisper.close();
});

interface Options {
  shadow?: Partial<ShadowConfig>;
  random?: () => number;
  clock?: FakeClock;
}

async function start(options: Options = {}): Promise<{ url: string; gateway: Gateway }> {
  timeline = [];
  whisper = await startShadowWhisper(timeline);
  const loaded = labConfig(lab, (l) => {
    const stt = l.config.components.stt!;
    stt.providers['faster-whisper']!.baseUrl = whisper.baseUrl;
    stt.shadow = { ...DEFAULT_SHADOW, ...options.shadow };
  });
  const started = await startGateway({
    loaded,
    storePath: ':memory:',
    logger: false,
    analysisLoop: false,
    dashboardDir: null,
    ...(options.random ? { shadowRandom: options.random } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  open.push(started);
  return started;
}

async function readAloud(url: string, said: string, expected = said): Promise<{ status: number; provider: string | null; body: unknown }> {
  const form = new FormData();
  form.append('audio', new Blob([new Uint8Array(spokenWav(said))], { type: 'audio/wav' }), 'lecture.wav');
  form.append('expected', expected);
  const res = await fetch(`${url}/v1/reading/check`, { method: 'POST', headers: { ...auth(), 'x-student-id': 'eleve-42' }, body: form });
  const body: unknown = await res.json();
  return { status: res.status, provider: res.headers.get('x-bascule-provider'), body };
}

const on = { enabled: true, sampleRate: 1, maxPerMinute: 1000, maxConcurrent: 8, timeoutMs: 5_000 };

describe('shadow comparison in the gateway', () => {
  it('leaves the student answer as it was and sends it before the production provider has answered', async () => {
    const { url, gateway } = await start();
    const before = await readAloud(url, 'le chat dort');
    expect(whisper.calls).toBe(0); // off by default

    const put = await fetch(`${url}/admin/v1/components/stt/shadow`, { method: 'PUT', headers: admin, body: JSON.stringify({ ...on, reason: 'compare faster-whisper before phase stt' }) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ component: 'stt', settings: { enabled: true, sampleRate: 1 } });
    whisper.delayMs = 2_000; // a production model far slower than the MVP
    const during = await readAloud(url, 'le chat dort');
    timeline.push('student answered');
    await gateway.shadow.runner.settled();

    expect(during).toEqual(before);
    expect(during.provider).toBe('openai-whisper');
    expect(timeline.indexOf('student answered')).toBeLessThan(timeline.indexOf('shadow answered'));
    expect(gateway.shadow.runner.counts('stt')).toEqual({ sampled: 1, dropped: 0, failed: 0, compared: 1 });
    const events = (await (await fetch(`${url}/admin/v1/events?component=stt`, { headers: admin })).json()) as { events: { action: string; reason: string }[] };
    expect(events.events[0]).toMatchObject({ action: 'shadow-settings', reason: expect.stringContaining('shadow on: 100 % sampled') });
  });

  it('refuses bad settings naming the field, and answers 404 for a component it does not know', async () => {
    const { url } = await start();
    const put = (component: string, body: unknown) => fetch(`${url}/admin/v1/components/${component}/shadow`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
    const rate = await put('stt', { enabled: true, sampleRate: 20, reason: 'x' });
    expect(rate.status).toBe(400);
    expect(await rate.json()).toMatchObject({ error: { code: 'invalid_request', field: 'sampleRate', message: expect.stringContaining('expected a fraction between 0 and 1') } });
    const reason = await put('stt', { enabled: true });
    expect(reason.status).toBe(400);
    expect(((await reason.json()) as { error: { field: string } }).error.field).toBe('reason');
    // Past a minute, Node's timer would overflow and abort every shadow call at once.
    const deadline = await put('stt', { enabled: true, timeoutMs: 2 ** 31, reason: 'x' });
    expect(deadline.status).toBe(400);
    expect(await deadline.json()).toMatchObject({ error: { field: 'timeoutMs', message: expect.stringContaining('at most 60000 ms') } });
    expect((await put('ocr', { enabled: true, reason: 'x' })).status).toBe(404);
    const unchanged = (await (await fetch(`${url}/admin/v1/components/stt/shadow`, { headers: admin })).json()) as { settings: ShadowConfig };
    expect(unchanged.settings.enabled).toBe(false);
  });

  it('fails nothing when the shadow call fails or passes its own deadline, and leaves the breaker alone', async () => {
    const { url, gateway } = await start({ shadow: { ...on, timeoutMs: 200 } });
    whisper.mode = 'fail';
    const failed = await readAloud(url, 'la lune brille');
    whisper.mode = 'agree';
    whisper.delayMs = 1_000;
    const late = await readAloud(url, 'la lune brille');
    await gateway.shadow.runner.settled();

    expect([failed.status, late.status]).toEqual([200, 200]);
    expect(late.body).toEqual(failed.body);
    expect(gateway.shadow.runner.counts('stt')).toMatchObject({ failed: 2, compared: 0 });
    expect(gateway.runtime.routing.breakerState('faster-whisper')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    const shadowRollups = [...gateway.runtime.routing.rollups.values()].filter((r) => r.route === 'shadow');
    expect(shadowRollups).toEqual([expect.objectContaining({ provider: 'faster-whisper', count: 2, errors: 2 })]);
  });

  it('samples the share asked and spends no more than the minute budget', async () => {
    let draw = 0;
    const random = () => (draw++ % 2 === 0 ? 0.2 : 0.8); // every other request under a rate of 0.5
    const { url, gateway } = await start({ shadow: { ...on, sampleRate: 0.5, maxPerMinute: 3 }, random, clock: new FakeClock() });
    for (let i = 0; i < 10; i++) await readAloud(url, 'un petit oiseau');
    await gateway.shadow.runner.settled();

    expect(gateway.shadow.runner.counts('stt')).toEqual({ sampled: 5, dropped: 2, failed: 0, compared: 3 });
    expect(whisper.calls).toBe(3);
  });

  it('holds at most maxConcurrent shadow calls: past it a sampled request is dropped, not queued', async () => {
    const { url, gateway } = await start({ shadow: { ...on, maxConcurrent: 1 } });
    whisper.delayMs = 3_000; // longer than the three requests take, even on a busy machine
    for (let i = 0; i < 3; i++) await readAloud(url, 'le loup court');
    expect(gateway.shadow.runner.inFlight('stt')).toBe(1);
    await gateway.shadow.runner.settled();

    expect(whisper.calls).toBe(1);
    expect(gateway.shadow.runner.counts('stt')).toMatchObject({ sampled: 3, dropped: 2, compared: 1 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('bascule_shadow_requests_total{component="stt",outcome="dropped"} 2');
    expect(metrics).toContain('bascule_shadow_requests_total{component="stt",outcome="compared"} 1');
    expect(gateway.shadow.runner.inFlight('stt')).toBe(0);
  });
});

describe('shadow scores feed the quality criterion', () => {
  /** 50 reading checks (the criterion's minimum), their shadow calls ended and their scores written. */
  async function classReads(url: string, gateway: Gateway): Promise<void> {
    const sentences = ['le chat dort', 'papa lit un livre', 'la pomme est rouge', 'il pleut sur la ville', 'mon ami joue'];
    for (let i = 0; i < 50; i++) await readAloud(url, sentences[i % sentences.length]!);
    await gateway.shadow.runner.settled();
    await gateway.shadow.flusher.flush(true);
  }

  const accuracy = async (url: string) => {
    const criteria = (await (await fetch(`${url}/admin/v1/components/stt/criteria`, { headers: admin })).json()) as { criteria: { id: string; verdict: string; measured: number | null; samples: number }[] };
    return Object.fromEntries(criteria.criteria.map((c) => [c.id, c]));
  };
  const promote = (url: string) => fetch(`${url}/admin/v1/components/stt/promote`, { method: 'POST', headers: admin, body: JSON.stringify({ reason: 'start phase stt' }) });

  it('PASSes with a production model that agrees, and the rollout may start', async () => {
    const { url, gateway } = await start({ shadow: on, clock: new FakeClock() });
    await classReads(url, gateway);

    // Every measure is stored; the criterion reads the agreement alone.
    const rows = await gateway.store.qualityResults({ component: 'stt', from: 0, to: Date.now() + 60_000, limit: 100 });
    expect(rows.find((r) => r.benchmark === 'shadow:agreement')).toMatchObject({ provider: 'faster-whisper', score: 1, samples: 50 });
    expect(rows.filter((r) => r.provider === 'faster-whisper').map((r) => r.benchmark).sort()).toEqual(['shadow:agreement', 'shadow:cer', 'shadow:matches-expected', 'shadow:verdict-agreement', 'shadow:wer']);
    expect((await gateway.store.qualitySince('stt', 'faster-whisper', 0)).map((r) => r.benchmark)).toEqual(['shadow:agreement']);
    const c = await accuracy(url);
    expect(c.accuracy).toMatchObject({ verdict: 'PASS', measured: 1, samples: 50 });
    // The shadow calls are not the production route's traffic: its latency and availability saw nothing.
    expect(c.avg_latency).toMatchObject({ samples: 0, verdict: 'INCONCLUSIVE' });
    // Their cost is in the month's (the VPS's share of each self-hosted call), under the production provider.
    const costs = (await (await fetch(`${url}/admin/v1/costs`, { headers: admin })).json()) as { components: { component: string; providers: { provider: string; requests: number; costEur: number }[] }[] };
    const shadowCost = costs.components.find((x) => x.component === 'stt')!.providers.find((p) => p.provider === 'faster-whisper');
    expect(shadowCost).toMatchObject({ requests: 50 });
    expect(shadowCost!.costEur).toBeGreaterThan(0);
    expect((await promote(url)).status).toBe(200);
  });

  it('FAILs when the production model gets words wrong at the same speed, and that blocks the promotion', async () => {
    const { url, gateway } = await start({ shadow: on, clock: new FakeClock() });
    whisper.mode = 'disagree';
    await classReads(url, gateway);

    const c = await accuracy(url);
    expect(c.accuracy!.verdict).toBe('FAIL');
    expect(c.accuracy!.samples).toBe(50);
    expect(c.accuracy!.measured).toBeLessThan(0.8);
    // Latency and errors are fine: no failing call, the breaker closed, no alert.
    expect(c.breaker_closed!.verdict).toBe('PASS');
    expect(c.availability!.verdict).not.toBe('FAIL');
    expect(gateway.shadow.runner.counts('stt')).toMatchObject({ failed: 0, compared: 50 });
    const res = await promote(url);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; blockers: { code: string; message: string }[] } };
    expect(body.error.blockers).toEqual([{ code: 'verdict', message: 'a criterion fails before the rollout starts (accuracy FAIL)' }]);
  });
});
