import { describe, expect, it } from 'vitest';
import { agreementSeries, agreementSummary, latestBenchmarks, listeningTestBody, normalizeQuality } from './quality.ts';

const answer = {
  component: 'stt',
  from: '2026-01-05T08:00:00.000Z',
  to: '2026-01-05T09:00:00.000Z',
  truncated: false,
  providers: [
    {
      provider: 'faster-whisper',
      results: [
        // Two replicas in the same minute, and a diagnostic measure that is not agreement.
        { id: '1', at: '2026-01-05T08:00:10.000Z', benchmark: 'shadow:agreement', score: 1, samples: 30 },
        { id: '2', at: '2026-01-05T08:00:40.000Z', benchmark: 'shadow:agreement', score: 0.5, samples: 10 },
        { id: '3', at: '2026-01-05T08:00:40.000Z', benchmark: 'shadow:wer', score: 0.2, samples: 10 },
        { id: '4', at: '2026-01-05T08:02:00.000Z', benchmark: 'shadow:agreement', score: 0.7, samples: 20 },
        { id: '5', at: '2026-01-05T07:00:00.000Z', benchmark: 'corpus-fr-v1', score: 0.91, samples: 120 },
        { id: '6', at: '2026-01-05T08:30:00.000Z', benchmark: 'corpus-fr-v1', score: 0.96, samples: 120 },
      ],
    },
    { provider: 'openai-whisper', results: [{ id: '7', at: '2026-01-05T08:10:00.000Z', benchmark: 'corpus-fr-v1', score: 0.97, samples: 120, note: 'référence' }] },
  ],
};

describe('quality view', () => {
  const view = normalizeQuality(answer);

  it('charts the agreement per provider, the replicas of a minute weighted by their samples, gaps as null', () => {
    const set = agreementSeries(view);
    expect(set.x).toEqual([Date.parse('2026-01-05T08:00:00Z') / 1000, Date.parse('2026-01-05T08:02:00Z') / 1000]);
    expect(set.series).toEqual([{ provider: 'faster-whisper', label: 'faster-whisper', values: [(30 + 5) / 40, 0.7] }]);
    expect(agreementSummary(view)).toEqual([{ provider: 'faster-whisper', score: (30 + 5 + 14) / 60, samples: 60 }]);
  });

  it('merges into coarser buckets when asked', () => {
    expect(agreementSeries(view, 600_000).series[0]!.values).toEqual([(30 + 5 + 14) / 60]);
  });

  it('keeps the last result of each benchmark per provider, newest first, without the shadow rows', () => {
    expect(latestBenchmarks(view).map((r) => [r.provider, r.benchmark, r.score, r.note])).toEqual([
      ['faster-whisper', 'corpus-fr-v1', 0.96, null],
      ['openai-whisper', 'corpus-fr-v1', 0.97, 'référence'],
    ]);
  });

  it('reads an answer it does not understand as empty, never a crash', () => {
    expect(normalizeQuality(null)).toEqual({ providers: [], truncated: false });
    expect(normalizeQuality({ providers: [{ provider: 'coqui', results: [{ at: 'soon', score: 1 }] }] }).providers[0]!.results).toEqual([]);
  });
});

describe('listening test body', () => {
  const input = { provider: 'coqui', scorePercent: '92,5', samples: '12', note: '  Voix claire.  ' };

  it('turns a percentage into the API\'s fraction, with the trimmed note', () => {
    expect(listeningTestBody(input)).toEqual({ ok: true, body: { benchmark: 'listening-test', provider: 'coqui', score: 0.925, samples: 12, note: 'Voix claire.' } });
    expect(listeningTestBody({ ...input, note: ' ' })).toEqual({ ok: true, body: { benchmark: 'listening-test', provider: 'coqui', score: 0.925, samples: 12 } });
  });

  it.each([
    [{ scorePercent: '' }, 'score'],
    [{ scorePercent: '120' }, 'score'],
    [{ scorePercent: 'bien' }, 'score'],
    [{ samples: '0' }, 'samples'],
    [{ samples: '2.5' }, 'samples'],
    [{ note: 'x'.repeat(501) }, 'note'],
  ])('names the wrong field of %j: %s', (change, field) => {
    expect(listeningTestBody({ ...input, ...change })).toEqual({ ok: false, field });
  });
});
