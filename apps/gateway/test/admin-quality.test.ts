// `GET /admin/v1/components/{component}/quality` and the listening test's note on `POST …/quality`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, QualityHistoryResponseSchema, QualityResultSchema } from '@bascule/contracts';
import { createGateway, type Gateway } from '../src/app.ts';
import { adminHeaders, FakeClock, testConfig } from './helpers.ts';

let gw: Gateway;
const clock = new FakeClock();
const HOUR = 3_600_000;
beforeAll(async () => {
  gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', clock, logger: false, analysisLoop: false, dashboardDir: null });
  await gw.app.ready();
});
afterAll(() => gw.close());

const json = { ...adminHeaders, 'content-type': 'application/json' };
const post = (component: string, payload: unknown) => gw.app.inject({ method: 'POST', url: `/admin/v1/components/${component}/quality`, headers: json, payload: payload as object });
const get = (path: string) => gw.app.inject({ url: `/admin/v1/components/${path}`, headers: adminHeaders });
const iso = (ms: number) => new Date(ms).toISOString();

describe('quality results over time', () => {
  it('records a listening test with its note, and answers it with the others per provider, oldest first', async () => {
    const now = clock.now();
    const note = 'Voix claire ; « grenouille » un peu lent.';
    const listening = await post('tts', { benchmark: 'listening-test', score: 0.9, samples: 1, provider: 'coqui', note: `  ${note} ` });
    expect(listening.statusCode).toBe(201);
    expect(QualityResultSchema.parse(listening.json())).toMatchObject({ benchmark: 'listening-test', note });
    expect((await post('tts', { benchmark: 'shadow:duration-ratio', score: 0.97, samples: 40, provider: 'coqui', at: iso(now - 3 * HOUR) })).statusCode).toBe(201);
    expect((await post('tts', { benchmark: 'listening-test', score: 0.7, samples: 1, provider: 'web-speech', at: iso(now - HOUR) })).statusCode).toBe(201);
    expect((await post('tts', { benchmark: 'listening-test', score: 0.5, samples: 1, provider: 'coqui', at: iso(now - 72 * HOUR) })).statusCode).toBe(201);
    expect((await post('stt', { benchmark: 'shadow:agreement', score: 0.99, samples: 20, provider: 'faster-whisper' })).statusCode).toBe(201);

    const res = await get('tts/quality');
    expect(res.statusCode).toBe(200);
    const body = QualityHistoryResponseSchema.parse(res.json());
    expect(body).toMatchObject({ component: 'tts', from: iso(now - 48 * HOUR), to: iso(now), truncated: false });
    expect(body.providers.map((p) => [p.provider, p.results.map((r) => [r.benchmark, r.score])])).toEqual([
      ['coqui', [['shadow:duration-ratio', 0.97], ['listening-test', 0.9]]],
      ['web-speech', [['listening-test', 0.7]]],
    ]);
    expect(body.providers[0]!.results[1]).toMatchObject({ note, samples: 1, at: iso(now) });
    expect(body.providers[0]!.results[0]).not.toHaveProperty('note');
  });

  it('takes a from/to range', async () => {
    const now = clock.now();
    const body = QualityHistoryResponseSchema.parse((await get(`tts/quality?from=${iso(now - 80 * HOUR)}&to=${iso(now - 2 * HOUR)}`)).json());
    expect(body.providers.flatMap((p) => p.results.map((r) => r.score)).sort()).toEqual([0.5, 0.97]);
    const empty = QualityHistoryResponseSchema.parse((await get('vision/quality')).json());
    expect(empty.providers).toEqual([{ provider: 'trocr', results: [] }, { provider: 'easyocr', results: [] }]);
  });

  it('filters by benchmark or by kind, and merges into buckets weighted by samples', async () => {
    const now = clock.now();
    // Two replicas' rows of the same two minutes, and a diagnostic measure.
    for (const [ago, score, samples] of [[150_000, 1, 30], [140_000, 0.5, 10], [90_000, 0.7, 20], [80_000, 0.9, 20]] as const) {
      expect((await post('vision', { benchmark: 'shadow:agreement', score, samples, provider: 'trocr', at: iso(now - ago) })).statusCode).toBe(201);
    }
    expect((await post('vision', { benchmark: 'shadow:verdict-agreement', score: 0.2, samples: 40, provider: 'trocr', at: iso(now - 90_000) })).statusCode).toBe(201);
    expect((await post('vision', { benchmark: 'letters-v1', score: 0.93, samples: 200, provider: 'trocr', at: iso(now - 60_000) })).statusCode).toBe(201);
    const results = async (query: string) => QualityHistoryResponseSchema.parse((await get(`vision/quality?${query}`)).json()).providers[0]!.results;

    expect((await results('benchmark=shadow:agreement')).map((r) => r.score)).toEqual([1, 0.5, 0.7, 0.9]);
    expect((await results('shadow=false')).map((r) => r.benchmark)).toEqual(['letters-v1']);
    expect((await results('shadow=true')).map((r) => r.benchmark)).toEqual(['shadow:agreement', 'shadow:agreement', 'shadow:agreement', 'shadow:verdict-agreement', 'shadow:agreement']);
    const minute = Math.floor((now - 150_000) / 60_000) * 60_000;
    const merged = QualityHistoryResponseSchema.parse((await get('vision/quality?benchmark=shadow:agreement&bucketMs=60000')).json());
    expect(merged.bucketMs).toBe(60_000);
    expect(merged.providers[0]!.results.map((r) => [r.at, r.score, r.samples])).toEqual([
      [iso(minute), (30 + 5) / 40, 40],
      [iso(minute + 60_000), 0.8, 40],
    ]);
  });

  it.each([
    ['tts/quality?bucketMs=1000', 'bucketMs'],
    ['tts/quality?shadow=yes', 'shadow'],
    [`tts/quality?benchmark=${'b'.repeat(201)}`, 'benchmark'],
    ['tts/quality?from=yesterday', 'from'],
    ['tts/quality?to=12', 'to'],
    [`tts/quality?from=2026-01-05T10:00:00Z&to=2026-01-05T09:00:00Z`, 'from'],
    [`tts/quality?from=2025-01-01T00:00:00Z&to=2026-01-05T09:00:00Z`, 'from'],
  ])('rejects %s with a 400 naming %s', async (path, field) => {
    const res = await get(path);
    expect(res.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(res.json()).error).toMatchObject({ code: 'invalid_request', field });
  });

  it('rejects a note over 500 characters naming it, an unknown component, and a call without the token', async () => {
    const long = await post('tts', { benchmark: 'listening-test', score: 0.9, samples: 1, provider: 'coqui', note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(long.json()).error).toMatchObject({ code: 'invalid_request', field: 'note' });
    expect((await get('ocr/quality')).statusCode).toBe(404);
    expect((await gw.app.inject({ url: '/admin/v1/components/tts/quality' })).statusCode).toBe(401);
  });
});
