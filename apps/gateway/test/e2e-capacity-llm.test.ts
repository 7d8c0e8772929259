// The capacity criterion of the self-hosted LLM end to end against the lab: llm's production provider is
// llama.cpp's server (`vps-llm`), which sends no busy header. Its answers' `timings` (plain, and on the last
// chunk of a stream) are the service time: the criterion is INCONCLUSIVE without them, and leaves
// INCONCLUSIVE once 20 answers have reported theirs. The analysis is driven by `tick`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSummarySchema, CriteriaResponseSchema } from '@bascule/contracts';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway, type Gateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminCaller } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-capacity-llm-'));
let lab: Lab;
let url: string;
let gateway: Gateway;
let close: () => Promise<void>;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, rateLimitPerMinute: 1_000_000, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  // The design's alternative: the LLM on the VPS rather than on Groq.
  loaded.config.components.llm!.production = 'vps-llm';
  ({ url, gateway, close } = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, analysisLoop: false, dashboardDir: null }));
});
afterAll(async () => {
  await close();
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = adminCaller(() => url);

/** One exercise asked by each student, every other one streamed; each answered by vps-llm. */
async function ask(students: string[]): Promise<void> {
  for (const [i, student] of students.entries()) {
    const stream = i % 2 === 1;
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': student },
      body: JSON.stringify({ stream, messages: [{ role: 'user', content: `Un exercice de lecture pour ${student}.` }] }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bascule-provider')).toBe('vps-llm');
    if (stream) expect(text).toContain('data: [DONE]');
  }
}

const capacityCriterion = async () => CriteriaResponseSchema.parse((await admin('GET', '/components/llm/criteria')).body).criteria.find((c) => c.id === 'capacity')!;
const students = (from: number, n: number) => Array.from({ length: n }, (_, i) => `eleve-${from + i}`);

describe('capacity of the self-hosted LLM, from llama.cpp’s timings', () => {
  it('is INCONCLUSIVE until 20 answers reported their timings, then judged on them', { timeout: 60_000 }, async () => {
    const raised = await admin('PUT', '/components/llm/weight', { weight: 100, reason: 'every student on the VPS', override: { reason: 'capacity test' } });
    expect(raised.status).toBe(200);
    // A fast card: 6 ms of compute per exercise (prompt + generation).
    lab.setService('vps-llm', { busyMs: 6 });

    await ask(students(0, 10));
    await gateway.runtime.tick();
    const early = await capacityCriterion();
    expect(early).toMatchObject({ verdict: 'INCONCLUSIVE', samples: 10, minSamples: 20 });

    await ask(students(10, 20));
    await gateway.runtime.tick();
    const judged = await capacityCriterion();
    expect(judged).toMatchObject({ verdict: 'PASS', samples: 30 });
    expect(judged.measured!).toBeLessThan(0.8);

    const summary = ComponentSummarySchema.parse((await admin('GET', '/components/llm')).body);
    expect(summary.capacity).toMatchObject({ provider: 'vps-llm', samples: 30, hosts: 1 });
    expect(summary.capacity!.serviceMs).toBeCloseTo(6, 9);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(`bascule_upstream_host_service_seconds{provider="vps-llm",host="${new URL(lab.upstreams['vps-llm'].baseUrl).host}"} 0.006`);
  });

  it('follows the card: a saturated one (5 s an exercise) makes the criterion FAIL', { timeout: 60_000 }, async () => {
    lab.setService('vps-llm', { busyMs: 5_000 });
    await ask(students(30, 40));
    await gateway.runtime.tick();
    const criterion = await capacityCriterion();
    expect(criterion.verdict).toBe('FAIL');
    expect(criterion.detail).toMatch(/^forecast [\d.]+ % busy at 100 % \(service [\d.]+ ms/);
  });
});
