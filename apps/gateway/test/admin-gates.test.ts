// The engine's gates and its fresh analysis, through the gateway: the loop seen in the dashboard (a resume
// right after a fix rolled back again), a blocked promotion (409 with what blocks it), an override with its
// own reason in the audit log, and one snapshot behind every figure of a component's view.
import { afterEach, describe, expect, it } from 'vitest';
import { ComponentSummarySchema, CriteriaResponseSchema, ErrorBodySchema, EventsResponseSchema } from '@bascule/contracts';
import { createGateway, type Gateway } from '../src/app.ts';
import type { AttemptRecord } from '../src/migration/index.ts';
import { FakeClock, adminHeaders, testConfig } from './helpers.ts';

const json = { ...adminHeaders, 'content-type': 'application/json' };
let gw: Gateway | null = null;
afterEach(async () => {
  await gw?.close();
  gw = null;
});

async function start(clock: FakeClock): Promise<Gateway> {
  gw = await createGateway({ loaded: testConfig(), storePath: ':memory:', clock, logger: false, analysisLoop: false, dashboardDir: null });
  await gw.app.ready();
  return gw;
}

function requests(g: Gateway, clock: FakeClock, n: number, o: Partial<AttemptRecord> = {}): void {
  for (let i = 0; i < n; i++) g.runtime.recordAttempt({ at: clock.now(), component: 'stt', provider: 'faster-whisper', route: 'production', latencyMs: 300, ok: true, costEur: 0, ...o });
}

const post = (g: Gateway, path: string, payload: object) => g.app.inject({ method: 'POST', url: `/admin/v1/components/stt/${path}`, headers: json, payload });
const summary = async (g: Gateway) => ComponentSummarySchema.parse((await g.app.inject({ url: '/admin/v1/components/stt', headers: adminHeaders })).json());

describe('a resume after a fix', () => {
  it('is not rolled back again by the failures from before the fix', async () => {
    const clock = new FakeClock();
    const g = await start(clock);
    expect((await post(g, 'promote', { reason: 'step 1' })).statusCode).toBe(200);
    // The candidate fails one request in four: three critical evaluations, then the automatic rollback.
    for (let i = 0; i < 3; i++) {
      requests(g, clock, 30, {});
      requests(g, clock, 10, { ok: false, failure: 'status', status: 503 });
      g.runtime.tick(clock.advance(5_000));
      expect((await summary(g)).analysis).toMatchObject({ failingEvaluations: i < 2 ? i + 1 : 0, rollbackAfter: 3 });
    }
    expect(g.runtime.state('stt')).toMatchObject({ status: 'rollback', weight: 0 });
    // Fixed; resumed 14 s later (the window still holds the failures). Two minutes of healthy traffic.
    clock.advance(14_000);
    const resumed = await post(g, 'resume', { reason: 'faster-whisper fixed' });
    expect(resumed.json()).toMatchObject({ status: 'migrating', weight: 10, alerts: [], analysis: { failingEvaluations: 0 } });
    for (let t = 0; t < 24; t++) {
      requests(g, clock, 5);
      g.runtime.tick(clock.advance(5_000));
      expect(g.runtime.state('stt').status).toBe('migrating');
    }
    expect((await summary(g)).alerts.filter((a) => a.severity === 'critical')).toEqual([]);
  });
});

describe('gated actions', () => {
  it('answers 409 blocked with what blocks a promotion, then goes ahead with an override recorded as such', async () => {
    const clock = new FakeClock();
    const g = await start(clock);
    await post(g, 'promote', { reason: 'step 1' });
    requests(g, clock, 50);
    g.runtime.tick(clock.advance(5 * 60_000));
    const view = await summary(g);
    expect(view.verdict).toBe('HOLD');
    expect(view.gates?.promote.map((b) => b.code)).toEqual(['verdict', 'min_time']);
    expect(view.stepTime).toEqual({ heldMs: 5 * 60_000, minMs: 48 * 3_600_000, leftMs: 48 * 3_600_000 - 5 * 60_000 });

    const blocked = await post(g, 'promote', { reason: 'step 2' });
    expect(blocked.statusCode).toBe(409);
    const body = ErrorBodySchema.parse(blocked.json());
    expect(body.error).toMatchObject({ code: 'blocked', message: expect.stringMatching(/^promote is blocked: GO\/NO-GO is HOLD .*; step 1 has been held 5 min of its minimum 2 d 0 h; give an override/) });
    expect(body.error.blockers?.map((b) => b.code)).toEqual(['verdict', 'min_time']);
    expect(g.runtime.state('stt').weight).toBe(10);

    const short = await post(g, 'promote', { reason: 'step 2', override: { reason: 'no' } });
    expect(short.statusCode).toBe(400);
    expect(ErrorBodySchema.parse(short.json()).error).toMatchObject({ field: 'override.reason', message: expect.stringMatching(/at least 3 characters/) });

    const forced = await post(g, 'promote', { reason: 'step 2', override: { reason: 'the school year ends Friday' } });
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({ weight: 50, step: 1 });
    const [event] = EventsResponseSchema.parse((await g.app.inject({ url: '/admin/v1/events?limit=1', headers: adminHeaders })).json()).events;
    expect(event).toMatchObject({ action: 'promote', actor: 'admin' });
    expect(event!.reason).toMatch(/^step 2 · OVERRIDE: the school year ends Friday \(despite: GO\/NO-GO is HOLD .*; step 1 has been held 5 min of its minimum 2 d 0 h\)$/);
  });

  it('never gates lowering the weight, and gates raising it', async () => {
    const clock = new FakeClock();
    const g = await start(clock);
    await post(g, 'promote', { reason: 'step 1' });
    const put = (weight: number) => g.app.inject({ method: 'PUT', url: '/admin/v1/components/stt/weight', headers: json, payload: { weight, reason: 'by hand' } });
    expect((await put(20)).statusCode).toBe(409);
    expect((await put(5)).statusCode).toBe(200);
  });
});

describe('one snapshot per view', () => {
  it('the alerts, the providers, the health, the criteria and the stream agree, all taken at evaluatedAt', async () => {
    const clock = new FakeClock();
    const g = await start(clock);
    await post(g, 'promote', { reason: 'step 1' });
    requests(g, clock, 40);
    requests(g, clock, 10, { ok: false, failure: 'status', status: 503 });
    g.runtime.tick(clock.advance(5_000));
    const at = new Date(clock.now()).toISOString();
    // More traffic after the evaluation: the view keeps showing the evaluation's figures, not a mix.
    requests(g, clock, 100);
    clock.advance(2_000);
    const view = await summary(g);
    expect(view.evaluatedAt).toBe(at);
    const errorAlert = view.alerts.find((a) => a.metric === 'error_rate')!;
    expect(errorAlert.value).toBe(view.providers.production.metrics.errorRate);
    expect(view.providers.production.metrics.errorRate).toBeCloseTo(0.2, 9);
    const healthAlert = view.alerts.find((a) => a.metric === 'health');
    if (healthAlert) expect(healthAlert.value).toBe(view.health);
    const criteria = CriteriaResponseSchema.parse((await g.app.inject({ url: '/admin/v1/components/stt/criteria', headers: adminHeaders })).json());
    expect(criteria.evaluatedAt).toBe(at);
    expect(criteria.criteria).toEqual(view.criteria);
    expect(criteria.history?.at(-1)).toMatchObject({ at, verdict: view.verdict });
    expect(g.runtime.metricsPayload('stt')).toMatchObject({ at, health: view.health, providers: view.providers });
  });
});
