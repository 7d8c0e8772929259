// Admin API payloads as the design describes them, shared by the view-model tests.
export const sttPayload = {
  component: 'stt',
  status: 'migrating',
  weight: 10,
  step: { index: 0, total: 3, weight: 10 },
  providers: {
    'faster-whisper': { role: 'production', breaker: 'closed', metrics: { p50Ms: 300, p95Ms: 450, errorRate: 0.01, requests: 100 } },
    'openai-whisper': { role: 'mvp', breaker: 'open', metrics: { p50Ms: 900, p95Ms: 2100, errorRate: 0.2, requests: 900 } },
  },
  health: 92,
  metrics: { p50Ms: 800, p95Ms: 1900, errorRate: 0.02, requests: 1000, requestsPerSecond: 4, activeStudents: 30, costPerRequest: 0.003, mvpCostPerRequest: 0.006, mvpP95Ms: 2100 },
  alerts: [{ severity: 'critical', metric: 'p95', provider: 'openai-whisper', message: 'p95 2100 ms > 2000 ms', value: 2100, threshold: 2000 }],
};

export const llmPayload = {
  component: 'llm',
  status: 'production',
  weight: 100,
  step: { index: 2, total: 3, weight: 100 },
  providers: { groq: { role: 'production', breaker: 'closed' }, huggingface: { role: 'mvp', breaker: 'closed' } },
  health: 60,
  metrics: { p95Ms: 400, errorRate: 0, requests: 3000, requestsPerSecond: 12, activeStudents: 45, costPerRequest: 0.001, mvpCostPerRequest: 0.002, mvpP95Ms: 1000 },
  alerts: [],
};
