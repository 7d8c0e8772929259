import { describe, expect, it } from 'vitest';
import type { AlertStreamPayload, MetricsStreamPayload } from '@bascule/contracts';
import { applyUpdate, interpretMessage } from './streamMessage.ts';
import { normalizeComponents } from '../model/normalize.ts';
import { eventsPayload, llmPayload, metrics, sttPayload } from '../model/fixtures.ts';
import type { Json } from '../model/read.ts';

const message = (event: string, data: unknown) => ({ event, id: null, data: typeof data === 'string' ? data : JSON.stringify(data) });
const current: Json[] = [sttPayload, llmPayload];
const view = (raw: Json[]) => normalizeComponents(raw);

describe('stream messages', () => {
  it('replaces a component on `state`, and adds one it did not know', () => {
    const rolledBack = { ...sttPayload, status: 'rollback', weight: 0 };
    const next = applyUpdate(current, interpretMessage(message('state', rolledBack)));
    expect(view(next).map((c) => [c.component, c.status, c.weight])).toEqual([
      ['stt', 'rollback', 0],
      ['llm', 'production', 100],
    ]);
    const added = applyUpdate([llmPayload], interpretMessage(message('state', sttPayload)));
    expect(view(added).map((c) => c.component)).toEqual(['llm', 'stt']);
  });

  it('patches measurements on `metrics`, keeping status, weight and plan', () => {
    const payload: MetricsStreamPayload = { component: 'stt', at: '2026-11-24T10:00:00.000Z', metrics: metrics({ p95Ms: 777 }), providers: sttPayload.providers, health: 41 };
    const [stt] = view(applyUpdate(current, interpretMessage(message('metrics', payload))));
    expect(stt).toMatchObject({ status: 'migrating', weight: 10, health: 41, metrics: { p95Ms: 777 }, step: { total: 3 } });
  });

  it("patches the capacity with the snapshot's criteria", () => {
    const capacity = { provider: 'faster-whisper' as const, serviceMs: 250, samples: 40, hosts: 1, slotsPerHost: 1, componentRatePerSec: 4, share: 0.1, utilisationNow: 0.1, nextWeight: 50, atNextStep: 0.5, atFull: 1, threshold: 0.8, requestsPerStudentPerSec: 0.1, studentsPerHost: 32, perHost: [] };
    const payload: MetricsStreamPayload = { component: 'stt', at: '2026-11-24T10:00:00.000Z', metrics: metrics({}), providers: sttPayload.providers, health: 90, capacity };
    const [stt] = view(applyUpdate(current, interpretMessage(message('metrics', payload))));
    expect(stt?.capacity).toMatchObject({ provider: 'faster-whisper', atNextStep: 0.5, atFull: 1, studentsPerHost: 32 });
  });

  it('leaves the alerts to the snapshot that follows an alert message, so they never mix two evaluations', () => {
    const alert = { ...sttPayload.alerts[0]!, id: 'stt:faster-whisper:error_rate', metric: 'error_rate' };
    const firing: AlertStreamPayload = { component: 'stt', state: 'firing', alert };
    const next = applyUpdate(current, interpretMessage(message('alert', firing)));
    expect(view(next)[0]?.alerts.map((a) => a.id)).toEqual(['stt:openai-whisper:p95_latency']);
    const state = applyUpdate(next, interpretMessage(message('state', { ...sttPayload, alerts: [...sttPayload.alerts, alert] })));
    expect(view(state)[0]?.alerts.map((a) => a.id)).toEqual(['stt:openai-whisper:p95_latency', 'stt:faster-whisper:error_rate']);
  });

  it('reports audit events and asks for a refetch on anything it does not understand', () => {
    expect(interpretMessage(message('event', eventsPayload.events[0]))).toEqual({ kind: 'event', component: 'stt' });
    expect(interpretMessage(message('message', 'ping'))).toEqual({ kind: 'changed' });
    expect(interpretMessage(message('metrics', { no: 'component' }))).toEqual({ kind: 'changed' });
    expect(applyUpdate(current, { kind: 'changed' })).toBe(current);
  });
});
