import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentsResponseSchema, CriteriaResponseSchema, ErrorBodySchema, EventsResponseSchema, QualityResultSchema } from '@bascule/contracts';
import { createGateway, type Gateway } from '../src/app.ts';
import { ADMIN_TOKEN, FakeClock, adminHeaders, testConfig } from './helpers.ts';

let gw: Gateway;
const clock = new FakeClock();
beforeAll(async () => {
  gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', clock, logger: false, analysisLoop: false, dashboardDir: null });
  await gw.app.ready();
});
afterAll(() => gw.close());

const json = { ...adminHeaders, 'content-type': 'application/json' };

describe('admin API', () => {
  it('lists every configured component in the contract shape', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/admin/v1/components', headers: adminHeaders });
    expect(res.statusCode).toBe(200);
    const body = ComponentsResponseSchema.parse(res.json());
    expect(body.components.map((c) => c.component)).toEqual(['llm', 'stt', 'tts', 'vision']);
    expect(body.components[0]).toMatchObject({ status: 'mvp', weight: 0, step: -1, providers: { production: { id: 'groq', breaker: 'closed' }, mvp: { id: 'huggingface' } } });
  });

  it('sets a weight, records it in the audit log, and answers the summary', async () => {
    const res = await gw.app.inject({ method: 'PUT', url: '/admin/v1/components/stt/weight', headers: json, payload: { weight: 12.5, reason: 'canary', override: { reason: 'the test class only' } } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ component: 'stt', weight: 12.5, status: 'migrating' });
    const events = EventsResponseSchema.parse((await gw.app.inject({ url: '/admin/v1/events?limit=1', headers: adminHeaders })).json());
    expect(events.events[0]).toMatchObject({ component: 'stt', actor: 'admin', action: 'set-weight', from: { weight: 0 }, to: { weight: 12.5 } });
    expect(events.events[0]!.reason).toMatch(/^canary · OVERRIDE: the test class only \(despite: GO\/NO-GO is HOLD \(/);
  });

  it('promotes, rolls back and resumes; a second rollback is a conflict', async () => {
    const post = (action: string, reason = 'test') => gw.app.inject({ method: 'POST', url: `/admin/v1/components/vision/${action}`, headers: json, payload: { reason } });
    expect((await post('promote')).json()).toMatchObject({ weight: 10, step: 0, status: 'migrating' });
    expect((await post('rollback', 'bad letters')).json()).toMatchObject({ weight: 0, status: 'rollback' });
    const again = await post('rollback');
    expect(again.statusCode).toBe(409);
    expect(ErrorBodySchema.parse(again.json()).error.code).toBe('conflict');
    const weightDuringRollback = await gw.app.inject({ method: 'PUT', url: '/admin/v1/components/vision/weight', headers: json, payload: { weight: 50, reason: 'x' } });
    expect(weightDuringRollback.statusCode).toBe(409);
    expect((await post('resume', 'fixed')).json()).toMatchObject({ weight: 10, status: 'migrating', step: 0 });
  });

  it('lists events newest first with paging', async () => {
    const first = EventsResponseSchema.parse((await gw.app.inject({ url: '/admin/v1/events?component=vision&limit=2', headers: adminHeaders })).json());
    expect(first.events.map((e) => e.action)).toEqual(['resume', 'rollback']);
    expect(first.nextBefore).not.toBeNull();
    const next = EventsResponseSchema.parse((await gw.app.inject({ url: `/admin/v1/events?component=vision&limit=2&before=${first.nextBefore}`, headers: adminHeaders })).json());
    expect(next.events.map((e) => e.action)).toEqual(['promote']);
    expect(next.nextBefore).toBeNull();
  });

  it('records a quality result that the criteria then measure', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/admin/v1/components/llm/quality', headers: json, payload: { benchmark: 'exercises-fr', score: 0.97, samples: 80, provider: 'groq' } });
    expect(res.statusCode).toBe(201);
    expect(QualityResultSchema.parse(res.json())).toMatchObject({ component: 'llm', score: 0.97 });
    const criteria = CriteriaResponseSchema.parse((await gw.app.inject({ url: '/admin/v1/components/llm/criteria', headers: adminHeaders })).json());
    expect(criteria.criteria.find((c) => c.id === 'quality')).toMatchObject({ measured: 0.97, samples: 80, verdict: 'PASS' });
    // No traffic yet: latency and availability are inconclusive, so the verdict holds.
    expect(criteria.verdict).toBe('HOLD');
  });

  describe('bad input: the right 4xx, the field named, the server still healthy', () => {
    const cases: { name: string; method: 'GET' | 'PUT' | 'POST'; url: string; headers?: Record<string, string>; payload?: string; status: number; code: string; field?: string }[] = [
      { name: 'weight 101', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":101,"reason":"x"}', status: 400, code: 'invalid_request', field: 'weight' },
      { name: 'weight -1', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":-1,"reason":"x"}', status: 400, code: 'invalid_request', field: 'weight' },
      { name: 'weight "abc"', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":"abc","reason":"x"}', status: 400, code: 'invalid_request', field: 'weight' },
      { name: 'weight with three decimals', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":10.123,"reason":"x"}', status: 400, code: 'invalid_request', field: 'weight' },
      { name: 'missing weight', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"reason":"x"}', status: 400, code: 'invalid_request', field: 'weight' },
      { name: 'missing reason', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":10}', status: 400, code: 'invalid_request', field: 'reason' },
      { name: 'blank reason', method: 'POST', url: '/admin/v1/components/llm/rollback', payload: '{"reason":"   "}', status: 400, code: 'invalid_request', field: 'reason' },
      { name: 'body is an array', method: 'POST', url: '/admin/v1/components/llm/promote', payload: '[]', status: 400, code: 'invalid_request' },
      { name: 'malformed JSON', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: '{"weight":', status: 400, code: 'invalid_request', field: 'body' },
      { name: 'wrong content type', method: 'PUT', url: '/admin/v1/components/llm/weight', headers: { 'content-type': 'text/plain' }, payload: 'weight=10', status: 415, code: 'unsupported_media_type' },
      { name: 'form content type', method: 'POST', url: '/admin/v1/components/llm/promote', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'reason=x', status: 415, code: 'unsupported_media_type' },
      { name: 'unknown component', method: 'PUT', url: '/admin/v1/components/ocr/weight', payload: '{"weight":10,"reason":"x"}', status: 404, code: 'not_found' },
      { name: 'unknown component (GET)', method: 'GET', url: '/admin/v1/components/music', status: 404, code: 'not_found' },
      { name: 'unknown action', method: 'POST', url: '/admin/v1/components/llm/explode', payload: '{"reason":"x"}', status: 404, code: 'not_found' },
      { name: 'bad token', method: 'GET', url: '/admin/v1/components', headers: { authorization: 'Bearer wrong' }, status: 401, code: 'unauthorized' },
      { name: 'no token', method: 'GET', url: '/admin/v1/components', headers: { authorization: '' }, status: 401, code: 'unauthorized' },
      { name: 'token without Bearer', method: 'GET', url: '/admin/v1/components', headers: { authorization: ADMIN_TOKEN }, status: 401, code: 'unauthorized' },
      { name: 'token prefix only', method: 'GET', url: '/admin/v1/components', headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }, status: 401, code: 'unauthorized' },
      { name: 'quality score 96 (percent)', method: 'POST', url: '/admin/v1/components/llm/quality', payload: '{"benchmark":"b","score":96,"samples":10,"provider":"groq"}', status: 400, code: 'invalid_request', field: 'score' },
      { name: 'quality for another component\'s provider', method: 'POST', url: '/admin/v1/components/llm/quality', payload: '{"benchmark":"b","score":0.9,"samples":10,"provider":"trocr"}', status: 400, code: 'invalid_request', field: 'provider' },
      { name: 'quality zero samples', method: 'POST', url: '/admin/v1/components/llm/quality', payload: '{"benchmark":"b","score":0.9,"samples":0,"provider":"groq"}', status: 400, code: 'invalid_request', field: 'samples' },
      { name: 'events limit abc', method: 'GET', url: '/admin/v1/events?limit=abc', status: 400, code: 'invalid_request', field: 'limit' },
      { name: 'events unknown component', method: 'GET', url: '/admin/v1/events?component=ocr', status: 400, code: 'invalid_request', field: 'component' },
      { name: 'body over the limit', method: 'PUT', url: '/admin/v1/components/llm/weight', payload: JSON.stringify({ weight: 10, reason: 'x'.repeat(2_000_000) }), status: 413, code: 'payload_too_large' },
    ];
    it.each(cases)('$name → $status', async (c) => {
      const headers = { ...(c.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...adminHeaders, ...c.headers };
      const res = await gw.app.inject({ method: c.method, url: c.url, headers, ...(c.payload !== undefined ? { payload: c.payload } : {}) });
      expect(res.statusCode).toBe(c.status);
      const body = ErrorBodySchema.parse(res.json());
      expect(body.error.code).toBe(c.code);
      if (c.field) {
        expect(body.error.field).toBe(c.field);
        expect(body.error.message).toContain(c.field);
      }
      expect((await gw.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    });

    it('left the state untouched', async () => {
      const llm = (await gw.app.inject({ url: '/admin/v1/components/llm', headers: adminHeaders })).json();
      expect(llm).toMatchObject({ weight: 0, status: 'mvp' });
    });
  });

  it('serves readiness and Prometheus metrics with the rollout gauges', async () => {
    expect((await gw.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready', store: 'open' });
    const metrics = await gw.app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('bascule_rollout_weight_percent{component="stt"} 12.5');
    expect(metrics.body).toContain('process_resident_memory_bytes');
  });
});
