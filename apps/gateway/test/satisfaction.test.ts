// POST /v1/satisfaction end to end on the real gateway and the lab: the ratings are validated (a 400 names
// the field), rate-limited per student and component, counted against the route the student is on, never
// stored with the student id, written by the flush, read back by the admin API, judged by the satisfaction
// criterion, and a mean below 7/10 raises the alert that reaches a webhook receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, SatisfactionAcceptedSchema, SatisfactionResponseSchema, CriteriaResponseSchema } from '@bascule/contracts';
import { SATISFACTION_MIN_RATINGS, isInProductionCohort } from '@bascule/routing';
import { startPublicStack, auth, ADMIN_TOKEN, type PublicStack } from './support/public-stack.ts';
import { httpReceiver, type HttpReceiver } from './notify/receivers.ts';

let stack: PublicStack;
let hook: HttpReceiver;

beforeAll(async () => {
  hook = await httpReceiver({ status: 200 });
  stack = await startPublicStack((l) => {
    l.config.notifications = { channels: [{ type: 'webhook', url: `${hook.url}/hook`, minSeverity: 'warning' }], timeoutMs: 2_000, retries: 0, backoffMs: 1, criticalDebounceMs: 0 };
  });
});
afterAll(async () => {
  await stack?.close();
  await hook?.close();
});

const rate = (student: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/v1/satisfaction`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': student, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const admin = (path: string) => fetch(`${stack.url}/admin/v1${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

describe('POST /v1/satisfaction', () => {
  it.each([
    [{ component: 'stt', score: 11 }, 'score', 'expected a whole number from 0 to 10, got 11'],
    [{ component: 'stt', score: 7.5 }, 'score', 'expected a whole number from 0 to 10'],
    [{ component: 'stt' }, 'score', 'missing'],
    [{ component: 'ocr', score: 5 }, 'component', 'expected the component rated: llm, stt, tts or vision, got "ocr"'],
    [{ component: 'tts', score: 5, rater: 'parent' }, 'rater', 'expected who rated: student or teacher'],
  ])('refuses %j with a 400 naming %s', async (body, field, text) => {
    const res = await rate('eleve-bad', body);
    expect(res.status).toBe(400);
    const error = ErrorBodySchema.parse(await res.json()).error;
    expect(error).toMatchObject({ code: 'invalid_request', field });
    expect(error.message).toContain(text);
  });

  it('refuses a rating without a student, or without a client key', async () => {
    const noStudent = await fetch(`${stack.url}/v1/satisfaction`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ component: 'stt', score: 5 }) });
    expect(noStudent.status).toBe(400);
    expect(ErrorBodySchema.parse(await noStudent.json()).error.field).toBe('X-Student-Id');
    const noKey = await fetch(`${stack.url}/v1/satisfaction`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-student-id': 'e1' }, body: JSON.stringify({ component: 'stt', score: 5 }) });
    expect(noKey.status).toBe(401);
  });

  it('counts a rating against the route the student is on, and limits a student to 3 a minute per component', async () => {
    const first = await rate('eleve-limit', { component: 'tts', score: 8 });
    expect(first.status).toBe(202);
    expect(SatisfactionAcceptedSchema.parse(await first.json())).toEqual({ accepted: true, component: 'tts', provider: 'web-speech', route: 'mvp' });
    for (let i = 0; i < 2; i += 1) expect((await rate('eleve-limit', { component: 'tts', score: 8 })).status).toBe(202);
    const limited = await rate('eleve-limit', { component: 'tts', score: 8 });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(ErrorBodySchema.parse(await limited.json()).error.message).toContain('too many ratings of tts for this student: 3 a minute');
    // Another component, or another student, is not limited by it.
    expect((await rate('eleve-limit', { component: 'vision', score: 8 })).status).toBe(202);
    expect((await rate('eleve-other', { component: 'tts', score: 8, rater: 'teacher' })).status).toBe(202);
  });

  it('judges the candidate by its students ratings, alerts below 7/10 and notifies, and never stores a student id', async () => {
    stack.setWeight('stt', 50);
    await new Promise((r) => setTimeout(r, 20));
    // Students in the production cohort rate the candidate 5/10; the others the MVP 9/10.
    const production: string[] = [];
    const mvp: string[] = [];
    for (let i = 0; production.length < SATISFACTION_MIN_RATINGS || mvp.length < 5; i += 1) {
      const id = `classe-b-${i}`;
      (isInProductionCohort('stt', id, 50) ? production : mvp).push(id);
    }
    for (const id of production.slice(0, SATISFACTION_MIN_RATINGS)) expect((await rate(id, { component: 'stt', score: 5 })).status).toBe(202);
    for (const id of mvp.slice(0, 5)) {
      const res = await rate(id, { component: 'stt', score: 9 });
      expect(SatisfactionAcceptedSchema.parse(await res.json())).toMatchObject({ provider: 'openai-whisper', route: 'mvp' });
    }
    await stack.gateway.runtime.flush();
    const stored = await stack.gateway.store.satisfactionSince(0, 'stt');
    expect(stored.reduce((n, m) => n + m.count, 0)).toBe(SATISFACTION_MIN_RATINGS + 5);
    const raw = JSON.stringify(stored);
    for (const id of [...production, ...mvp]) expect(raw).not.toContain(id);

    const view = SatisfactionResponseSchema.parse(await (await admin('/components/stt/satisfaction?range=1h')).json());
    expect(view.production).toMatchObject({ ratings: SATISFACTION_MIN_RATINGS, mean: 5, detractors: SATISFACTION_MIN_RATINGS, nps: -100 });
    expect(view.mvp).toMatchObject({ ratings: 5, mean: 9, promoters: 5, nps: 100 });
    expect(view.series.reduce((n, b) => n + b.ratings, 0)).toBe(SATISFACTION_MIN_RATINGS + 5);
    expect((await admin('/components/stt/satisfaction?range=2h')).status).toBe(400);

    await stack.gateway.runtime.tick();
    const criteria = CriteriaResponseSchema.parse(await (await admin('/components/stt/criteria')).json());
    expect(criteria.criteria.find((c) => c.id === 'satisfaction')).toMatchObject({ unit: 'score', target: 7, measured: 5, samples: SATISFACTION_MIN_RATINGS, verdict: 'FAIL' });
    expect(criteria.verdict).toBe('NO-GO');
    const summary = (await (await admin('/components/stt')).json()) as { alerts: { id: string; severity: string; value: number }[] };
    expect(summary.alerts.find((a) => a.id === 'stt:faster-whisper:satisfaction')).toMatchObject({ severity: 'warning', value: 5 });
    expect(summary.alerts.find((a) => a.id === 'stt:openai-whisper:satisfaction')).toBeUndefined();
    await stack.gateway.runtime.notifications.settled();
    const told = () => hook.received.map((r) => r.body as { type: string; title: string }).filter((n) => n.type === 'bascule.satisfaction-low');
    expect(told()).toEqual([expect.objectContaining({ title: 'stt: user satisfaction below 7/10', provider: 'faster-whisper', severity: 'warning' })]);
    // The next round tells no one again while the alert holds.
    await stack.gateway.runtime.tick();
    await stack.gateway.runtime.notifications.settled();
    expect(told()).toHaveLength(1);
  });
});
