// `GET /admin/v1/components/{component}/history`: the real gateway (Fastify inject) over a real SQLite file
// in a temp folder; attempts go in through the runtime's request-path entry (recordAttempt), the clock is
// fake so the 7 days of data are placed exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, HISTORY_BUCKET_MS, HistoryResponseSchema, type HistoryResponse } from '@bascule/contracts';
import { histogramCount, MINUTE_MS, type Route } from '@bascule/routing';
import type { Gateway } from '../src/app.ts';
import { FakeClock, adminHeaders } from './helpers.ts';
import { adminGet, fileGateway } from './support/file-gateway.ts';

const HOUR = 3_600_000;
const clock = new FakeClock(Date.UTC(2026, 10, 24, 10, 35, 20));
const now = clock.now();
const files = fileGateway('history', clock);
let gw: Gateway;

/** `n` stt requests `ago` ms before now, on one route, each `latencyMs` long and costing 0.001 €. */
function record(ago: number, n: number, route: Route = 'mvp', latencyMs = 200, ok = true): void {
  const provider = route === 'production' ? 'faster-whisper' : 'openai-whisper';
  for (let i = 0; i < n; i++) gw.runtime.recordAttempt({ at: now - ago, component: 'stt', provider, route, latencyMs, ok, costEur: 0.001 });
}

const history = (query: string): Promise<HistoryResponse> => adminGet(gw, `/admin/v1/components/stt/history${query}`, HistoryResponseSchema);

const total = (h: HistoryResponse): number => h.rollups.reduce((sum, r) => sum + r.count, 0);

beforeAll(async () => {
  gw = await files.open();
  record(6 * 24 * HOUR, 4); // 6 days ago: 7d only
  record(30 * HOUR, 3, 'production', 900, false); // 30 h ago: 48h and 7d
  record(50 * MINUTE_MS, 2); // within the hour
  record(2 * MINUTE_MS, 5, 'production', 100);
  record(2 * MINUTE_MS, 1, 'fallback', 1_500);
  await gw.runtime.tick(now); // flushed to the SQLite file...
  record(0, 6, 'production', 120); // ...and the current minute, not flushed yet
});
afterAll(async () => {
  await gw.close();
  files.remove();
});

describe('history endpoint', () => {
  it('answers the last hour minute by minute, the unflushed current minute included', async () => {
    const h = await history('?range=1h');
    expect(h).toMatchObject({ component: 'stt', range: '1h', bucketMs: MINUTE_MS, to: new Date(now).toISOString() });
    expect(Date.parse(h.from)).toBe(Math.floor(now / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS);
    expect(total(h)).toBe(2 + 5 + 1 + 6);
    const current = h.rollups.filter((r) => r.minute === Math.floor(now / MINUTE_MS) * MINUTE_MS);
    expect(current).toEqual([expect.objectContaining({ provider: 'faster-whisper', route: 'production', count: 6 })]);
    // One rollup per minute, provider and route; oldest first, then by provider.
    expect(h.rollups.map((r) => [r.minute, r.route])).toEqual([
      [Math.floor((now - 50 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS, 'mvp'],
      [Math.floor((now - 2 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS, 'production'],
      [Math.floor((now - 2 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS, 'fallback'],
      [Math.floor(now / MINUTE_MS) * MINUTE_MS, 'production'],
    ]);
  });

  it('is the last hour when no range is given', async () => {
    expect((await history('')).range).toBe('1h');
  });

  it('merges 48 h into 10-minute buckets, histograms added', async () => {
    const h = await history('?range=48h');
    expect(h.bucketMs).toBe(HISTORY_BUCKET_MS['48h']);
    expect(h.bucketMs).toBe(10 * MINUTE_MS);
    expect(h.rollups.every((r) => r.minute % h.bucketMs === 0)).toBe(true);
    expect(total(h)).toBe(3 + 2 + 5 + 1 + 6);
    // The two production minutes of the last 10 minutes (5 flushed + 6 unflushed) are one bucket.
    const recent = h.rollups.find((r) => r.route === 'production' && r.minute === Math.floor(now / h.bucketMs) * h.bucketMs);
    expect(recent).toMatchObject({ count: 11, errors: 0, latencySumMs: 5 * 100 + 6 * 120 });
    expect(histogramCount(recent!.histogram)).toBe(11);
    expect(recent!.costEur).toBeCloseTo(0.011, 9);
    expect(h.rollups.find((r) => r.errors > 0)).toMatchObject({ count: 3, errors: 3, provider: 'faster-whisper' });
  });

  it('merges 7 days into hourly buckets: every request of the week, at most 168 buckets per series', async () => {
    const h = await history('?range=7d');
    expect(h.bucketMs).toBe(HOUR);
    expect(total(h)).toBe(4 + 3 + 2 + 5 + 1 + 6);
    expect(new Set(h.rollups.map((r) => r.minute)).size).toBeLessThanOrEqual(168);
    expect(Date.parse(h.from)).toBe(Math.floor(now / HOUR) * HOUR - 167 * HOUR);
  });

  it('names the bad query field, 404s an unknown component, 401s without the token', async () => {
    for (const query of ['?range=2d', '?range=', '?range=1h&range=7d', '?range=7D']) {
      const res = await gw.app.inject({ url: `/admin/v1/components/stt/history${query}`, headers: adminHeaders });
      expect(res.statusCode, query).toBe(400);
      const body = ErrorBodySchema.parse(res.json());
      expect(body.error).toMatchObject({ code: 'invalid_request', field: 'range' });
      expect(body.error.message).toMatch(/^range: expected one of 1h, 48h, 7d, got /);
    }
    const unknown = await gw.app.inject({ url: '/admin/v1/components/ocr/history?range=1h', headers: adminHeaders });
    expect(unknown.statusCode).toBe(404);
    expect(ErrorBodySchema.parse(unknown.json()).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('unknown component "ocr"') });
    const anonymous = await gw.app.inject({ url: '/admin/v1/components/stt/history?range=1h' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps the history across a restart (the unflushed minute is flushed on close)', async () => {
    const before = await history('?range=7d');
    await gw.close();
    gw = await files.open();
    const after = await history('?range=7d');
    expect(after).toEqual(before);
    expect(total(after)).toBe(21);
  });
});
