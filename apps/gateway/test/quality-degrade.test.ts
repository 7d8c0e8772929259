// A quality regression the latency and error figures cannot see: the lab's `degrade` fault on faster-whisper
// makes a third of its words wrong, at the same speed and with 200s. Measured against what the children said
// (the reading check's French normalisation), the result fails the transcription-accuracy criterion, raises the
// health check's quality alert and blocks the promotion, while availability and errors stay clean.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, spokenWav, startLab, type Lab } from '@bascule/lab';
import { ComponentSummarySchema, ErrorBodySchema } from '@bascule/contracts';
import { startGateway } from '../src/app.ts';
import { localConfig } from '../src/config/index.ts';
import { wordErrorRate } from '../src/reading/error-rate.ts';
import { ADMIN_TOKEN, CLIENT_KEY, adminCaller } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bascule-quality-'));
let lab: Lab;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 5 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, rateLimitPerMinute: 1_000_000, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  ({ url, close } = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, analysisLoop: false, dashboardDir: null }));
});
afterAll(async () => {
  await close();
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = adminCaller(() => url);

const WORDS = ['le', 'chat', 'regarde', 'la', 'lune', 'papa', 'lit', 'un', 'livre', 'rouge', 'dans', 'jardin'];

/** A sentence a child reads, and what the gateway transcribed, with the route it took. */
async function read(student: string, rng: () => number): Promise<{ said: string; heard: string; status: number; route: string | null }> {
  const said = Array.from({ length: 6 }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(spokenWav(said))], { type: 'audio/wav' }), 'lecture.wav');
  form.append('model', 'whisper-1');
  form.append('language', 'fr');
  const res = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-student-id': student }, body: form, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { text?: string };
  return { said, heard: body.text ?? '', status: res.status, route: res.headers.get('x-bascule-route') };
}

/** The production cohort's transcriptions of `students` children, and the share of words they got right. */
async function productionAccuracy(students: number, seed: number): Promise<{ samples: number; accuracy: number; statuses: number[] }> {
  const rng = createRng(seed);
  const results = [];
  for (let i = 0; i < students; i += 20) results.push(...(await Promise.all(Array.from({ length: Math.min(20, students - i) }, (_, k) => read(`eleve-${seed}-${i + k}`, rng)))));
  const production = results.filter((r) => r.route === 'production');
  const errors = production.reduce((sum, r) => sum + wordErrorRate(r.said, r.heard).edits, 0);
  const words = production.reduce((sum, r) => sum + wordErrorRate(r.said, r.heard).length, 0);
  return { samples: production.length, accuracy: 1 - errors / words, statuses: [...new Set(results.map((r) => r.status))] };
}

describe('a degraded production model', () => {
  it('fails the accuracy criterion, raises the quality alert and blocks a raise of the weight, with clean latency and errors', async () => {
    // Half the class on faster-whisper (by hand: the test's own exposure), so a few hundred requests suffice.
    expect((await admin('PUT', '/components/stt/weight', { weight: 50, reason: 'test class', override: { reason: 'exposure chosen by the test' } })).status).toBe(200);
    const healthy = await productionAccuracy(60, 1);
    expect(healthy.statuses).toEqual([200]);
    expect(healthy.samples).toBeGreaterThan(10);
    expect(healthy.accuracy).toBe(1);

    await lab.setFault('faster-whisper', { mode: 'degrade', wer: 0.3 });
    const degraded = await productionAccuracy(160, 2);
    expect(degraded.statuses).toEqual([200]);
    expect(degraded.samples).toBeGreaterThanOrEqual(50);
    expect(degraded.accuracy).toBeGreaterThan(0.6);
    expect(degraded.accuracy).toBeLessThan(0.8);
    const posted = await admin('POST', '/components/stt/quality', { benchmark: 'reading-accuracy', provider: 'faster-whisper', score: degraded.accuracy, samples: degraded.samples });
    expect(posted.status).toBe(201);

    const summary = ComponentSummarySchema.parse((await admin('GET', '/components/stt')).body);
    // The fault injects no error (the lab counts none); a loaded test machine may still time a call out.
    expect(lab.state().find((u) => u.name === 'faster-whisper')?.injectedErrors).toBe(0);
    expect(summary.providers.production.metrics.errorRate).toBeLessThan(0.05);
    expect(summary.criteria?.find((c) => c.id === 'accuracy')).toMatchObject({ verdict: 'FAIL', samples: degraded.samples });
    expect(summary.criteria?.find((c) => c.id === 'availability')?.verdict).not.toBe('FAIL');
    expect(summary.alerts.filter((a) => a.metric === 'quality').map((a) => [a.provider, a.severity])).toEqual([['faster-whisper', 'warning']]);
    expect(summary.alerts.filter((a) => a.severity === 'critical')).toEqual([]);
    expect(summary.health).toBeLessThan(80);

    const promote = await admin('PUT', '/components/stt/weight', { weight: 60, reason: 'more students' });
    expect(promote.status).toBe(409);
    const refused = ErrorBodySchema.parse(promote.body).error as { code: string; blockers?: { code: string; message: string }[] };
    expect(refused.code).toBe('blocked');
    expect(refused.blockers?.find((b) => b.code === 'verdict')?.message).toMatch(/NO-GO/);
  }, 60_000);
});
