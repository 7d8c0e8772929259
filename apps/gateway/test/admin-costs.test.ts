// `GET /admin/v1/costs`: the month's recorded requests and cost per component and provider, from a real
// SQLite file; they outlive the minute rollups' retention and a restart.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CostsResponseSchema, ErrorBodySchema, type CostsResponse } from '@bascule/contracts';
import { emptyHistogram, recordLatency, type MinuteRollup } from '@bascule/routing';
import type { Gateway } from '../src/app.ts';
import { SCHEMA_MIGRATIONS, SqliteStore as Store } from '../src/store/index.ts';
import { FakeClock, adminHeaders } from './helpers.ts';
import { adminGet, fileGateway } from './support/file-gateway.ts';

const clock = new FakeClock(Date.UTC(2026, 11, 3, 8, 0, 30)); // 3 December 2026
const now = clock.now();
const files = fileGateway('costs', clock);
let gw: Gateway;

function record(at: number, component: 'stt' | 'llm', provider: 'openai-whisper' | 'faster-whisper' | 'groq', n: number, costEur: number): void {
  for (let i = 0; i < n; i++) gw.runtime.recordAttempt({ at, component, provider, route: 'mvp', latencyMs: 100, ok: true, costEur });
}

const costs = (query = ''): Promise<CostsResponse> => adminGet(gw, `/admin/v1/costs${query}`, CostsResponseSchema);

beforeAll(async () => {
  gw = await files.open();
  record(Date.UTC(2026, 10, 30, 23, 59), 'stt', 'openai-whisper', 10, 0.01); // November
  record(Date.UTC(2026, 11, 1, 9, 0), 'stt', 'openai-whisper', 4, 0.006); // December
  record(Date.UTC(2026, 11, 2, 9, 0), 'stt', 'faster-whisper', 2, 0.001);
  await gw.runtime.tick(now);
  record(now, 'llm', 'groq', 3, 0.0005); // this minute, not flushed yet
});
afterAll(async () => {
  await gw.close();
  files.remove();
});

describe('costs endpoint', () => {
  it('answers the current month per component and provider, the unflushed minute included', async () => {
    const c = await costs();
    expect(c).toMatchObject({ month: '2026-12', monthStart: '2026-12-01T00:00:00.000Z', at: new Date(now).toISOString(), since: '2026-12-01T09:00:00.000Z', requests: 9 });
    expect(c.costEur).toBeCloseTo(4 * 0.006 + 2 * 0.001 + 3 * 0.0005, 9);
    expect(c.components.map((x) => [x.component, x.requests])).toEqual([
      ['llm', 3],
      ['stt', 6],
      ['tts', 0],
      ['vision', 0],
    ]);
    expect(c.components[1]!.providers.map((p) => [p.provider, p.requests])).toEqual([
      ['faster-whisper', 2],
      ['openai-whisper', 4],
    ]);
  });

  it('answers a past month, and nothing for a month without requests', async () => {
    const november = await costs('?month=2026-11');
    expect(november).toMatchObject({ month: '2026-11', requests: 10, since: '2026-11-30T23:59:00.000Z' });
    expect(november.costEur).toBeCloseTo(0.1, 9);
    expect(await costs('?month=2025-01')).toMatchObject({ requests: 0, costEur: 0, since: null });
  });

  it('names the bad month', async () => {
    for (const query of ['?month=2026-13', '?month=december', '?month=2026-12&month=2026-11']) {
      const res = await gw.app.inject({ url: `/admin/v1/costs${query}`, headers: adminHeaders });
      expect(res.statusCode, query).toBe(400);
      expect(ErrorBodySchema.parse(res.json()).error).toMatchObject({ code: 'invalid_request', field: 'month', message: expect.stringMatching(/^month: expected a month as YYYY-MM/) });
    }
  });

  it('keeps the month after the minute rollups are pruned and across a restart', async () => {
    const before = await costs();
    await gw.close();
    const store = new Store(files.storePath);
    expect(await store.pruneRollups(now + 60_000)).toBeGreaterThan(0);
    await store.close();
    gw = await files.open();
    expect(await gw.store.rollupsSince(0)).toEqual([]);
    const after = await costs();
    // Sums may be added in another order: equal to the last cent's billionth.
    expect({ ...after, costEur: 0 }).toEqual({ ...before, costEur: 0 });
    expect(after.costEur).toBeCloseTo(before.costEur, 12);
  });
});

describe('monthly costs migration', () => {
  it('fills the month totals from the minutes stored before it', async () => {
    const path = join(files.dir, 'old.db');
    const old = new Store(path, SCHEMA_MIGRATIONS.filter((m) => m.version === 1));
    const histogram = emptyHistogram();
    recordLatency(histogram, 100);
    const rollup = (minute: number, count: number, costEur: number): MinuteRollup => ({ minute, component: 'vision', provider: 'easyocr', route: 'mvp', count, errors: 0, latencySumMs: 100, costEur, histogram });
    old.db.prepare('INSERT INTO minute_rollups (minute, component, provider, route, rollup_json) VALUES (?, ?, ?, ?, ?)').run(Date.UTC(2026, 11, 1, 10), 'vision', 'easyocr', 'mvp', JSON.stringify(rollup(Date.UTC(2026, 11, 1, 10), 2, 0.004)));
    old.db.prepare('INSERT INTO minute_rollups (minute, component, provider, route, rollup_json) VALUES (?, ?, ?, ?, ?)').run(Date.UTC(2026, 11, 2, 10), 'vision', 'easyocr', 'mvp', JSON.stringify(rollup(Date.UTC(2026, 11, 2, 10), 3, 0.006)));
    await old.close();
    const upgraded = new Store(path);
    expect(await upgraded.monthlyCosts('2026-12')).toEqual([{ month: '2026-12', component: 'vision', provider: 'easyocr', requests: 5, costEur: 0.01, firstMinute: Date.UTC(2026, 11, 1, 10) }]);
    await upgraded.close();
  });
});
