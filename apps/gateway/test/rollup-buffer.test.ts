// The unflushed rollups: taken whole before a write is awaited, put back (added to what came meanwhile) when
// it fails, and bounded while the store stays away, with what was dropped counted and exported.
import { describe, expect, it } from 'vitest';
import { createGateway } from '../src/app.ts';
import { RollupBuffer } from '../src/migration/rollup-buffer.ts';
import type { AttemptRecord } from '../src/migration/runtime.ts';
import { testConfig } from './helpers.ts';

const MINUTE = 60_000;
const attempt = (at: number, over: Partial<AttemptRecord> = {}): AttemptRecord => ({ at, component: 'llm', provider: 'groq', route: 'production', latencyMs: 100, ok: true, costEur: 0, ...over });

describe('rollup buffer', () => {
  it('hands everything to a write and starts empty for the attempts recorded meanwhile', () => {
    const buffer = new RollupBuffer();
    buffer.record(attempt(0), true);
    buffer.record(attempt(1), true);
    const taken = buffer.take();
    expect(taken.map((r) => r.count)).toEqual([2]);
    expect(buffer.size).toBe(0);
    buffer.record(attempt(2), false);
    buffer.restore(taken); // the write failed
    expect([...buffer.values()].map((r) => [r.count, r.errors])).toEqual([[3, 1]]);
  });

  it('keeps each (minute, component, provider, route) apart, whatever order the attempts come in', () => {
    const buffer = new RollupBuffer();
    buffer.record(attempt(0), true);
    buffer.record(attempt(10, { route: 'fallback', provider: 'huggingface' }), false);
    buffer.record(attempt(MINUTE + 5), true);
    buffer.record(attempt(20, { latencyMs: 300 }), false); // late: the first minute again
    buffer.record(attempt(30, { component: 'stt' }), true);
    const rows = [...buffer.values()].map((r) => `${r.minute / MINUTE} ${r.component} ${r.provider} ${r.route}: ${r.count} ${r.errors} ${r.latencySumMs}`).sort();
    expect(rows).toEqual(['0 llm groq production: 2 1 400', '0 llm huggingface fallback: 1 1 100', '0 stt groq production: 1 0 100', '1 llm groq production: 1 0 100']);
  });

  it('never adds to a rollup handed to a write, nor to one replaced when a failed write is put back', () => {
    const buffer = new RollupBuffer();
    buffer.record(attempt(0), true);
    const taken = buffer.take();
    buffer.record(attempt(1), true);
    expect(taken[0]!.count).toBe(1);
    buffer.restore(taken);
    buffer.record(attempt(2), true);
    expect(taken[0]!.count).toBe(1);
    expect([...buffer.values()].map((r) => r.count)).toEqual([3]);
  });

  it('drops the oldest minutes past its bound, and counts their attempts', () => {
    const buffer = new RollupBuffer(2);
    for (let m = 0; m < 4; m++) for (let i = 0; i <= m; i++) buffer.record(attempt(m * MINUTE), true);
    buffer.restore(buffer.take());
    expect([...buffer.values()].map((r) => r.minute).sort((a, b) => a - b)).toEqual([2 * MINUTE, 3 * MINUTE]);
    expect(buffer.droppedRollups).toBe(2);
    expect(buffer.droppedAttempts).toBe(1 + 2);
  });

  it('is exported in /metrics, with whether the store answers and whether this gateway leads', async () => {
    const gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
    try {
      const text = (await gw.app.inject({ url: '/metrics' })).body;
      expect(text).toMatch(/^bascule_rollup_attempts_dropped_total 0$/m);
      expect(text).toMatch(/^bascule_store_up 1$/m);
      expect(text).toMatch(/^bascule_analysis_leader 1$/m);
    } finally {
      await gw.close();
    }
  });
});
