// The "Done when", end to end on loopback: the lab, the gateway (its SQLite store) and the lab's
// simulated class reading aloud through it. Shadow on for stt at 20 % fills the transcription criterion from
// the class's requests alone; then the lab's `degrade` fault on faster-whisper (a third of the words wrong, at
// the same speed, every answer 200) turns it to FAIL, raises the health check's quality warning and blocks the
// promotion, while the students' answers, latency and errors stay as they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, startLab, startTraffic, type Lab, type Traffic } from '@bascule/lab';
import { ComponentSummarySchema, CriteriaResponseSchema, QualityHistoryResponseSchema } from '@bascule/contracts';
import { startGateway, type Gateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminCaller } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-quality-e2e-'));
let lab: Lab;
let url: string;
let gateway: Gateway;
let close: () => Promise<void>;
let traffic: Traffic;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 11 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, rateLimitPerMinute: 1_000_000, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  ({ url, gateway, close } = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, analysisLoop: false, dashboardDir: null }));
  // The class reads aloud (the reading check: stt), 30 students, 30 requests a second.
  traffic = startTraffic({ gatewayUrl: url, clientKey: CLIENT_KEY, students: 30, ratePerSecond: 30, rng: createRng(3), mix: { reading: 1, listening: 0, writing: 0, chat: 0 }, maxInFlight: 16 });
});
afterAll(async () => {
  await traffic?.stop();
  await close?.();
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = adminCaller(() => url);

const compared = async (): Promise<number> => ((await admin('GET', '/components/stt/shadow')).body as { counts: { compared: number } }).counts.compared;

/** Waits until `more` shadow comparisons have ended after `from`, then writes their scores (the flusher's minute, now). */
async function comparisons(from: number, more: number): Promise<number> {
  await expect.poll(compared, { timeout: 90_000, interval: 250 }).toBeGreaterThanOrEqual(from + more);
  await gateway.shadow.runner.settled();
  await gateway.shadow.flusher.flush(true);
  return compared();
}

const accuracy = async () => CriteriaResponseSchema.parse((await admin('GET', '/components/stt/criteria')).body).criteria.find((c) => c.id === 'accuracy')!;

describe('quality from live traffic (issue 11, done when)', () => {
  it('fills the transcription criterion from the class at 20 %, then a degraded faster-whisper FAILs it and blocks the promotion', async () => {
    expect((await accuracy()).verdict).toBe('INCONCLUSIVE');
    const on = await admin('PUT', '/components/stt/shadow', { enabled: true, sampleRate: 0.2, maxPerMinute: 1_000, reason: 'measure faster-whisper before phase stt' });
    expect(on.status).toBe(200);

    // Healthy: faster-whisper hears what openai-whisper hears.
    const healthy = await comparisons(0, 60);
    const passed = await accuracy();
    expect(passed.verdict, JSON.stringify(passed)).toBe('PASS');
    expect(passed.measured).toBeGreaterThan(0.99);
    expect(passed.samples).toBeGreaterThanOrEqual(50);

    // Degraded: a third of its words wrong, at the same speed, every answer 200.
    await lab.setFault('faster-whisper', { mode: 'degrade', wer: 0.3 });
    await comparisons(healthy, 3 * healthy);
    const failed = await accuracy();
    expect(failed.verdict).toBe('FAIL');
    expect(failed.measured).toBeLessThan(0.8);

    // Latency and errors saw nothing: no failed shadow call, no injected error, the breaker closed.
    expect(((await admin('GET', '/components/stt/shadow')).body as { counts: { failed: number } }).counts.failed).toBe(0);
    expect(lab.state().find((u) => u.name === 'faster-whisper')?.injectedErrors).toBe(0);
    const summary = ComponentSummarySchema.parse((await admin('GET', '/components/stt')).body);
    expect(summary.criteria?.find((c) => c.id === 'breaker_closed')?.verdict).toBe('PASS');
    expect(summary.alerts.filter((a) => a.metric === 'quality').map((a) => [a.provider, a.severity])).toEqual([['faster-whisper', 'warning']]);
    expect(summary.alerts.filter((a) => a.severity === 'critical')).toEqual([]);

    const promote = await admin('POST', '/components/stt/promote', { reason: 'start phase stt' });
    expect(promote.status).toBe(409);
    expect(promote.body).toMatchObject({ error: { code: 'blocked', blockers: [{ code: 'verdict', message: expect.stringContaining('accuracy FAIL') }] } });

    // The dashboard's chart reads the agreement over time: healthy minutes at 1, then lower.
    const history = QualityHistoryResponseSchema.parse((await admin('GET', '/components/stt/quality?benchmark=shadow:agreement')).body);
    const rows = history.providers.find((p) => p.provider === 'faster-whisper')!.results;
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.min(...rows.map((r) => r.score))).toBeLessThan(0.95);
    // The class was answered throughout (the shadow call is off its path).
    expect(traffic.stats().ok).toBeGreaterThan(4 * healthy);
  }, 180_000);
});
