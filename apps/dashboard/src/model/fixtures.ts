// Admin API payloads typed by @bascule/contracts: if the contract changes, these stop compiling.
import type { ComponentSummary, CriteriaResponse, EventsResponse, WindowMetrics } from '@bascule/contracts';

export const metrics = (m: Partial<WindowMetrics>): WindowMetrics => ({
  windowMs: 300_000,
  requests: 0,
  errors: 0,
  errorRate: 0,
  availability: 1,
  avgMs: null,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  costPerRequestEur: null,
  ...m,
});

const plan = { version: 1, steps: [10, 50, 100].map((weight) => ({ weight, minDurationMs: 172_800_000 })), autoPromote: false };

export const sttPayload: ComponentSummary = {
  component: 'stt',
  status: 'migrating',
  weight: 10,
  step: 0,
  plan,
  stepStartedAt: '2026-11-24T09:00:00.000Z',
  providers: {
    production: { id: 'faster-whisper', breaker: 'closed', metrics: metrics({ requests: 100, errors: 1, errorRate: 0.01, p50Ms: 300, p95Ms: 450, costPerRequestEur: 0.001 }) },
    mvp: { id: 'openai-whisper', breaker: 'open', metrics: metrics({ requests: 900, errors: 180, errorRate: 0.2, p50Ms: 900, p95Ms: 2100, costPerRequestEur: 0.006 }) },
  },
  health: 92,
  metrics: metrics({ requests: 1200, errors: 24, errorRate: 0.02, p50Ms: 800, p95Ms: 1900, costPerRequestEur: 0.003 }),
  alerts: [
    { id: 'stt:openai-whisper:p95_latency', severity: 'critical', metric: 'p95_latency', provider: 'openai-whisper', message: 'p95 2100 ms > 2000 ms', value: 2100, threshold: 2000, since: '2026-11-24T09:58:00.000Z', evaluations: 2 },
  ],
  activeStudents: 42,
};

export const llmPayload: ComponentSummary = {
  component: 'llm',
  status: 'production',
  weight: 100,
  step: 2,
  plan,
  stepStartedAt: null,
  providers: {
    production: { id: 'groq', breaker: 'closed', metrics: metrics({ p95Ms: 300, costPerRequestEur: 0.001 }) },
    mvp: { id: 'huggingface', breaker: 'half-open', metrics: metrics({ p95Ms: 1000, costPerRequestEur: 0.002 }) },
  },
  health: 60,
  metrics: metrics({ requests: 3600, p95Ms: 400, costPerRequestEur: 0.001 }),
  alerts: [],
  activeStudents: 7,
};

export const criteriaPayload: CriteriaResponse = {
  component: 'llm',
  provider: 'groq',
  step: 1,
  criteria: [
    { id: 'p95_latency', label: 'p95 latency', comparator: '<', target: 1500, unit: 'ms', measured: 420, samples: 800, minSamples: 100, verdict: 'PASS' },
    { id: 'quality', label: 'quality', comparator: '>', target: 0.95, unit: 'ratio', measured: null, samples: 0, minSamples: 1, verdict: 'INCONCLUSIVE' },
  ],
  verdict: 'HOLD',
  evaluatedAt: '2026-11-24T10:00:00.000Z',
};

export const eventsPayload: EventsResponse = {
  events: [
    {
      id: 'e3',
      at: '2026-11-24T10:00:00.000Z',
      component: 'stt',
      actor: 'analysis',
      action: 'rollback',
      reason: 'p95 > 2000 ms for 3 evaluations',
      from: { status: 'migrating', weight: 50, step: 1 },
      to: { status: 'rollback', weight: 0, step: 1 },
    },
  ],
  nextBefore: null,
};
