// The capacity criterion end to end against the lab: coqui (tts's production provider) reports its compute
// time per answer; the gateway measures it, forecasts the hosts' load at the next step, and refuses the
// promotion to 50 % while that forecast is over 80 %, with the forecast in the reason; with a small service
// time the criterion passes. The analysis is driven by `tick`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSummarySchema, CriteriaResponseSchema, ErrorBodySchema } from '@bascule/contracts';
import { startLab, type Lab } from '@bascule/lab';
import { startGateway, type Gateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminCaller } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-capacity-'));
let lab: Lab;
let url: string;
let gateway: Gateway;
let close: () => Promise<void>;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, rateLimitPerMinute: 1_000_000, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  ({ url, gateway, close } = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, analysisLoop: false, dashboardDir: null }));
});
afterAll(async () => {
  await close();
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = adminCaller(() => url);

/** One sentence read to each student, 16 at a time. */
async function speakTo(students: string[]): Promise<void> {
  for (let i = 0; i < students.length; i += 16) {
    const answers = await Promise.all(
      students.slice(i, i + 16).map(async (student) => {
        const res = await fetch(`${url}/v1/audio/speech`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': student },
          body: JSON.stringify({ input: 'Le chat dort.', voice: 'default' }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(answers.every((s) => s === 200)).toBe(true);
  }
}

const capacityCriterion = async () => CriteriaResponseSchema.parse((await admin('GET', '/components/tts/criteria')).body).criteria.find((c) => c.id === 'capacity')!;
const students = (from: number) => Array.from({ length: 400 }, (_, i) => `eleve-${from + i}`);

describe('capacity at the next step, against the lab', () => {
  it('refuses the 50 % step when coqui would be over 80 % busy there, with the forecast in the reason', { timeout: 60_000 }, async () => {
    expect((await admin('POST', '/components/tts/promote', { reason: 'start the tts rollout' })).body).toMatchObject({ weight: 10, step: 0 });
    // A saturated card: 900 ms of GPU per sentence. 400 sentences in a minute or two: ≥ 3.3 req/s at the
    // busiest minute, so ≥ 1.5 s of GPU a second at 50 % on one host.
    lab.setService('coqui', { busyMs: 900 });
    await speakTo(students(0));
    await gateway.runtime.tick();

    const criterion = await capacityCriterion();
    expect(criterion).toMatchObject({ verdict: 'FAIL', target: 0.8 });
    expect(criterion.samples).toBeGreaterThanOrEqual(criterion.minSamples);
    expect(criterion.measured!).toBeGreaterThan(1);
    expect(criterion.detail).toMatch(/^forecast \d+(\.\d)? % busy at 50 % \(service 900 ms, [\d.]+ req\/s, 1 host × 1 slot; threshold 80 %\)$/);

    const refused = await admin('POST', '/components/tts/promote', { reason: 'step 2' });
    expect(refused.status).toBe(409);
    const error = ErrorBodySchema.parse(refused.body).error;
    expect(error.code).toBe('blocked');
    expect(error.message).toMatch(/capacity FAIL: forecast \d+(\.\d)? % busy at 50 % \(service 900 ms/);

    const summary = ComponentSummarySchema.parse((await admin('GET', '/components/tts')).body);
    expect(summary.capacity).toMatchObject({ provider: 'coqui', serviceMs: 900, hosts: 1, slotsPerHost: 1, nextWeight: 50, threshold: 0.8 });
    expect(summary.capacity!.atNextStep).toBeCloseTo(criterion.measured!, 10);
    expect(summary.capacity!.atFull).toBeCloseTo(2 * criterion.measured!, 10);
    expect(summary.capacity!.studentsPerHost).toBeGreaterThan(0);
    expect(summary.capacity!.perHost).toEqual([{ host: new URL(lab.upstreams.coqui.baseUrl).host, serviceMs: 900, samples: summary.capacity!.samples }]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(`bascule_upstream_host_service_seconds{provider="coqui",host="${new URL(lab.upstreams.coqui.baseUrl).host}"} 0.9`);
  });

  it('passes once the card is fast: 20 ms of GPU per sentence', { timeout: 60_000 }, async () => {
    lab.setService('coqui', { busyMs: 20 });
    await speakTo(students(400));
    await gateway.runtime.tick();
    const criterion = await capacityCriterion();
    expect(criterion.verdict).toBe('PASS');
    expect(criterion.measured!).toBeLessThan(0.8);
    expect(criterion.detail).toMatch(/^forecast [\d.]+ % busy at 50 % \(service \d+(\.\d)? ms/);
    // The capacity no longer blocks: what still does is the step's minimum time and the other criteria.
    const refused = await admin('POST', '/components/tts/promote', { reason: 'step 2' });
    expect(ErrorBodySchema.parse(refused.body).error.message).not.toMatch(/capacity/);
  });
});
