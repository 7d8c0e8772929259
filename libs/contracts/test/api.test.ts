import { describe, expect, it } from 'vitest';
import {
  ActionRequestSchema,
  AdminStreamMessageSchema,
  ChatCompletionRequestSchema,
  ERROR_CODES,
  ERROR_STATUS,
  ErrorBodySchema,
  QualityResultRequestSchema,
  ReadingCheckResponseSchema,
  SpeechRequestSchema,
  WebSpeechDirectiveSchema,
  WeightRequestSchema,
  errorBody,
  FaultRequestSchema,
  HISTORY_BUCKET_MS,
  HISTORY_RANGE_MS,
  HISTORY_RANGES,
  HistoryResponseSchema,
  CostsResponseSchema,
} from '../src/index.ts';

describe('admin API bodies', () => {
  it('accepts a weight of 0..100 with a reason, at 0.01 resolution', () => {
    expect(WeightRequestSchema.parse({ weight: 12.5, reason: 'step 1 of the plan' })).toEqual({ weight: 12.5, reason: 'step 1 of the plan' });
    expect(WeightRequestSchema.safeParse({ weight: 0.01, reason: 'canary' }).success).toBe(true);
  });

  it.each([
    [{ weight: 101, reason: 'x' }, 'weight', 'expected a number between 0 and 100'],
    [{ weight: -1, reason: 'x' }, 'weight', 'expected a number between 0 and 100'],
    [{ weight: '50', reason: 'x' }, 'weight', 'expected a number between 0 and 100'],
    [{ weight: 50, reason: '   ' }, 'reason', 'expected a reason (non-empty text)'],
    [{ weight: 50 }, 'reason', 'expected a reason (non-empty text)'],
  ])('rejects %j naming the field', (body, field, message) => {
    const result = WeightRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('requires a reason for promote, rollback and resume', () => {
    expect(ActionRequestSchema.safeParse({}).success).toBe(false);
    expect(ActionRequestSchema.parse({ reason: ' p95 too high ' })).toEqual({ reason: 'p95 too high' });
  });

  it('takes quality scores as fractions, not percents', () => {
    expect(QualityResultRequestSchema.safeParse({ benchmark: 'dictée-cp', score: 0.96, samples: 200, provider: 'faster-whisper' }).success).toBe(true);
    const percent = QualityResultRequestSchema.safeParse({ benchmark: 'dictée-cp', score: 96, samples: 200, provider: 'faster-whisper' });
    expect(percent.error?.issues[0]?.message).toBe('expected a fraction between 0 and 1 (0.96, not 96)');
    expect(QualityResultRequestSchema.safeParse({ benchmark: 'x', score: 0.9, samples: 1, provider: 'whisper' }).success).toBe(false);
  });

  it('answers history in buckets that divide their range, with the bucket width said', () => {
    for (const range of HISTORY_RANGES) expect(HISTORY_RANGE_MS[range] % HISTORY_BUCKET_MS[range]).toBe(0);
    const body = {
      component: 'stt',
      range: '48h',
      bucketMs: HISTORY_BUCKET_MS['48h'],
      from: '2026-11-22T10:00:00.000Z',
      to: '2026-11-24T10:00:00.000Z',
      rollups: [{ minute: 1_764_000_000_000, component: 'stt', provider: 'openai-whisper', route: 'fallback', count: 2, errors: 0, latencySumMs: 1800, costEur: 0.001, histogram: { counts: [0, 2], min: 800, max: 1000 } }],
    };
    expect(HistoryResponseSchema.parse(body)).toEqual(body);
    expect(HistoryResponseSchema.safeParse({ ...body, range: '2d' }).error?.issues[0]?.path).toEqual(['range']);
    expect(HistoryResponseSchema.safeParse({ ...body, rollups: [{ ...body.rollups[0], route: 'canary' }] }).error?.issues[0]?.path).toEqual(['rollups', 0, 'route']);
  });

  it('answers the month’s costs per component and provider; a month is YYYY-MM', () => {
    const body = {
      month: '2026-12',
      monthStart: '2026-12-01T00:00:00.000Z',
      at: '2026-12-03T08:00:00.000Z',
      since: '2026-12-01T09:00:00.000Z',
      requests: 4,
      costEur: 0.024,
      components: [{ component: 'stt', requests: 4, costEur: 0.024, providers: [{ provider: 'openai-whisper', requests: 4, costEur: 0.024 }] }],
    };
    expect(CostsResponseSchema.parse(body)).toEqual(body);
    expect(CostsResponseSchema.safeParse({ ...body, month: '2026-13' }).error?.issues[0]?.path).toEqual(['month']);
    expect(CostsResponseSchema.safeParse({ ...body, since: null, requests: 0, costEur: 0, components: [] }).success).toBe(true);
  });

  it('decodes stream messages by type', () => {
    const event = {
      id: '42',
      at: '2026-11-24T10:00:00.000Z',
      component: 'stt',
      actor: 'analysis',
      action: 'rollback',
      reason: 'error rate 12 % > 5 % for 3 evaluations',
      from: { status: 'migrating', weight: 50, step: 1 },
      to: { status: 'rollback', weight: 0, step: 1 },
    };
    expect(AdminStreamMessageSchema.parse({ type: 'event', data: event }).type).toBe('event');
    expect(AdminStreamMessageSchema.safeParse({ type: 'state', data: event }).success).toBe(false);
  });
});

describe('public API bodies', () => {
  it('accepts what the openai client sends for a chat, stripping what Bascule ignores', () => {
    const body = { model: 'llama-3.1-8b', messages: [{ role: 'user', content: 'Une phrase avec « chat »' }], stream: true, n: 1 };
    expect(ChatCompletionRequestSchema.parse(body)).toEqual({ model: 'llama-3.1-8b', messages: body.messages, stream: true });
    expect(ChatCompletionRequestSchema.safeParse({ messages: [] }).error?.issues[0]?.path).toEqual(['messages']);
    expect(ChatCompletionRequestSchema.safeParse({ messages: [{ role: 'robot', content: 'x' }] }).error?.issues[0]?.path).toEqual(['messages', 0, 'role']);
  });

  it('only produces WAV speech and always in fr-FR through Web Speech', () => {
    expect(SpeechRequestSchema.safeParse({ input: 'maison', voice: 'fr-female-clear', response_format: 'mp3' }).error?.issues[0]?.path).toEqual(['response_format']);
    expect(WebSpeechDirectiveSchema.safeParse({ provider: 'web-speech', text: 'maison', lang: 'fr-FR', rate: 1 }).success).toBe(true);
    expect(WebSpeechDirectiveSchema.safeParse({ provider: 'web-speech', text: 'maison', lang: 'en-US', rate: 1 }).success).toBe(false);
  });

  it('describes a reading check word by word', () => {
    const body = {
      transcript: 'le chien dort',
      expected: 'le chat dort bien',
      words: [
        { expected: 'le', heard: 'le', verdict: 'correct' },
        { expected: 'chat', heard: 'chien', verdict: 'substituted' },
        { expected: 'dort', heard: 'dort', verdict: 'correct' },
        { expected: 'bien', heard: null, verdict: 'missing' },
      ],
      score: 0.5,
      wer: 0.5,
      provider: 'faster-whisper',
    };
    expect(ReadingCheckResponseSchema.parse(body)).toEqual(body);
    expect(ReadingCheckResponseSchema.safeParse({ ...body, score: 50 }).success).toBe(false);
  });
});

describe('errors', () => {
  it('maps every code to a 4xx or 5xx status and builds valid bodies', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ErrorBodySchema.parse(errorBody(code, 'something went wrong', { component: 'stt' }))).toEqual({
        error: { code, message: 'something went wrong', component: 'stt' },
      });
    }
    expect(ErrorBodySchema.safeParse({ error: { code: 'teapot', message: 'x' } }).success).toBe(false);
  });

  it('a blocked action is a 409 that lists what blocks it', () => {
    expect(ERROR_STATUS.blocked).toBe(409);
    const body = errorBody('blocked', 'promote is blocked', { blockers: [{ code: 'min_time', message: 'step 1 has been held 5 min of its minimum 2 d 0 h' }] });
    expect(ErrorBodySchema.parse(body).error.blockers).toEqual([{ code: 'min_time', message: 'step 1 has been held 5 min of its minimum 2 d 0 h' }]);
    expect(ErrorBodySchema.safeParse({ error: { code: 'blocked', message: 'x', blockers: [{ code: 'mood', message: 'x' }] } }).success).toBe(false);
  });
});

describe('overrides', () => {
  it('a weight or an action may carry an override with its own reason, of at least 3 characters', () => {
    expect(ActionRequestSchema.parse({ reason: 'step 2', override: { reason: '  trip on Monday ' } })).toEqual({ reason: 'step 2', override: { reason: 'trip on Monday' } });
    expect(WeightRequestSchema.parse({ weight: 50, reason: 'by hand', override: { reason: 'we accept it' } }).override).toEqual({ reason: 'we accept it' });
    const short = ActionRequestSchema.safeParse({ reason: 'step 2', override: { reason: 'ok' } });
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]).toMatchObject({ path: ['override', 'reason'], message: 'expected why the gates are overridden, in at least 3 characters' });
    expect(ActionRequestSchema.parse({ reason: 'step 2' })).toEqual({ reason: 'step 2' });
  });
});

describe('lab fault injection', () => {
  it('accepts the design modes and requires a latency for slow', () => {
    expect(FaultRequestSchema.parse({ mode: 'error', rate: 0.5 })).toEqual({ mode: 'error', rate: 0.5 });
    expect(FaultRequestSchema.safeParse({ mode: 'slow' }).error?.issues[0]?.path).toEqual(['latencyMs']);
    expect(FaultRequestSchema.safeParse({ mode: 'flaky' }).error?.issues[0]?.message).toBe('expected one of ok, down, slow, error, reset, degrade');
    expect(FaultRequestSchema.safeParse({ mode: 'error', rate: 2 }).error?.issues[0]?.path).toEqual(['rate']);
  });

  it('takes a degrade fault with its share of wrong answers, and that share only with degrade', () => {
    expect(FaultRequestSchema.parse({ mode: 'degrade', wer: 0.3 })).toEqual({ mode: 'degrade', wer: 0.3 });
    expect(FaultRequestSchema.parse({ mode: 'degrade' })).toEqual({ mode: 'degrade' });
    expect(FaultRequestSchema.safeParse({ mode: 'degrade', wer: 1.5 }).error?.issues[0]).toMatchObject({ path: ['wer'], message: 'expected a fraction between 0 and 1' });
    expect(FaultRequestSchema.safeParse({ mode: 'error', wer: 0.3 }).error?.issues[0]).toMatchObject({ path: ['wer'], message: 'expected only with mode "degrade" (the share of wrong answers)' });
  });
});
