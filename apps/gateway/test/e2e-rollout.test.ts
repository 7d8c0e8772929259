// End to end against the lab on loopback: the real gateway (public API + admin API + store) in front of
// the lab's stand-ins, with faults injected through the lab. The analysis loop is driven by `tick`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_OPTIONS } from '@bascule/routing';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway, type Gateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminCaller } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-e2e-'));
const storePath = join(dir, 'bascule.db');
let lab: Lab;
let url: string;
let gateway: Gateway;
let close: () => Promise<void>;

async function start(): Promise<void> {
  const loaded = localConfig({ labUpstreams: lab.upstreams, rateLimitPerMinute: 1_000_000, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  ({ url, gateway, close } = await startGateway({ loaded, storePath, logger: false, analysisLoop: false, dashboardDir: null }));
}

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  await start();
});
afterAll(async () => {
  await close();
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = adminCaller<Record<string, unknown>>(() => url);

async function chat(student: string): Promise<{ status: number; route: string | null; provider: string | null }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': student },
    body: JSON.stringify({ model: 'bascule-llm', messages: [{ role: 'user', content: 'Une phrase avec « lune ».' }] }),
  });
  await res.arrayBuffer();
  return { status: res.status, route: res.headers.get('x-bascule-route'), provider: res.headers.get('x-bascule-provider') };
}

/** Sends one request per student, `parallel` at a time. */
async function chatAll(students: string[], parallel = 16) {
  const out: Awaited<ReturnType<typeof chat>>[] = [];
  for (let i = 0; i < students.length; i += parallel) out.push(...(await Promise.all(students.slice(i, i + parallel).map(chat))));
  return out;
}

const groqRequests = () => lab.state().find((u) => u.name === 'groq')!.requests;

describe('rollout against the lab', () => {
  const students = Array.from({ length: 2_000 }, (_, i) => `eleve-${i}`);

  it.each([0, 10, 50, 100])('routes weight %i of 2 000 students to production (within 2 points)', { timeout: 60_000 }, async (weight) => {
    const state = (await admin('GET', '/components/llm')).body;
    if (state.weight !== weight) expect((await admin('PUT', '/components/llm/weight', { weight, reason: `cohort test ${weight} %`, override: { reason: 'cohort test' } })).status).toBe(200);
    const results = await chatAll(students);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const production = results.filter((r) => r.route === 'production').length;
    expect(results.every((r) => (r.route === 'production' ? r.provider === 'groq' : r.route === 'mvp' && r.provider === 'huggingface'))).toBe(true);
    expect(Math.abs((production / students.length) * 100 - weight)).toBeLessThanOrEqual(2);
  });

  it('opens the breaker on an outage: after it opens, the production upstream gets no more attempts', async () => {
    await lab.setFault('groq', { mode: 'error', rate: 1 });
    const before = groqRequests();
    const first = await chatAll(students.slice(0, 10), 1);
    expect(first.every((r) => r.status === 200 && r.route === 'fallback')).toBe(true);
    const attemptsToOpen = groqRequests() - before;
    expect(gateway.runtime.breakerState('groq').state).toBe('open');
    // Exactly the consecutive failures that open it; every request after that went straight to MVP.
    expect(attemptsToOpen).toBe(DEFAULT_BREAKER_OPTIONS.consecutiveFailures);
    const after = await chatAll(students.slice(10, 60), 1);
    expect(after.every((r) => r.status === 200 && r.route === 'fallback' && r.provider === 'huggingface')).toBe(true);
    expect(groqRequests() - before).toBe(attemptsToOpen); // no attempt at all while open
  });

  it('rolls back automatically after the fault persists, with the reason in the audit log', async () => {
    const plan = gateway.runtime.plan('llm');
    for (let i = 0; i < plan.rollbackAfterEvaluations; i++) await gateway.runtime.tick();
    const llm = (await admin('GET', '/components/llm')).body;
    expect(llm).toMatchObject({ status: 'rollback', weight: 0 });
    const events = (await admin('GET', '/events?component=llm&limit=1')).body as { events: { actor: string; action: string; reason: string }[] };
    expect(events.events[0]).toMatchObject({ actor: 'analysis', action: 'rollback' });
    expect(events.events[0]!.reason).toMatch(/automatic rollback after 3 consecutive critical evaluations: .*groq/);
    // Rolled back: every student is on MVP again, without touching groq.
    await lab.resetFaults();
    const results = await chatAll(students.slice(0, 100));
    expect(results.every((r) => r.route === 'mvp')).toBe(true);
  });

  it('keeps weight, status and log across a restart in the middle of a rollout', { timeout: 60_000 }, async () => {
    expect((await admin('POST', '/components/llm/resume', { reason: 'groq fixed' })).body).toMatchObject({ status: 'migrating', weight: 10 });
    expect((await admin('POST', '/components/llm/promote', { reason: 'step 2', override: { reason: 'the test does not wait 48 h' } })).body).toMatchObject({ weight: 50, step: 1 });
    const log = (await admin('GET', '/events?limit=100')).body;
    await close();
    await start();
    expect((await admin('GET', '/components/llm')).body).toMatchObject({ status: 'migrating', weight: 50, step: 1 });
    expect((await admin('GET', '/events?limit=100')).body).toEqual(log);
    const results = await chatAll(students.slice(0, 1_000));
    const share = results.filter((r) => r.route === 'production').length / 10;
    expect(Math.abs(share - 50)).toBeLessThanOrEqual(4);
  });
});
