// The other direction: when the MVP itself fails, a live, healthy candidate serves the MVP cohort, with one
// audit event per outage (not per request) and an alert in the admin API. Over the lab at weight 0.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema, ComponentSummarySchema } from '@bascule/contracts';
import { handwrittenPng, spokenWav } from '@bascule/lab';
import { ADMIN_TOKEN, auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function transcribe(url: string, student: string): Promise<{ status: number; provider: string | null; route: string | null }> {
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(spokenWav('le chat'))], { type: 'audio/wav' }), 'a.wav');
  const res = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', headers: { ...auth(), 'x-student-id': student }, body });
  await res.arrayBuffer();
  return { status: res.status, provider: res.headers.get('x-bascule-provider'), route: res.headers.get('x-bascule-route') };
}

async function chat(url: string, student: string): Promise<{ status: number; provider: string | null; route: string | null }> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': student },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour' }] }),
  });
  await res.arrayBuffer();
  return { status: res.status, provider: res.headers.get('x-bascule-provider'), route: res.headers.get('x-bascule-route') };
}

async function handwriting(url: string, student: string): Promise<{ status: number; provider: string | null; route: string | null }> {
  const body = new FormData();
  body.append('image', new Blob([new Uint8Array(handwrittenPng('a'))], { type: 'image/png' }), 'a.png');
  body.append('target', 'a');
  const res = await fetch(`${url}/v1/vision/handwriting`, { method: 'POST', headers: { ...auth(), 'x-student-id': student }, body });
  await res.arrayBuffer();
  return { status: res.status, provider: res.headers.get('x-bascule-provider'), route: res.headers.get('x-bascule-route') };
}

async function events(url: string, component: string) {
  const res = await fetch(`${url}/admin/v1/events?component=${component}&limit=50`, { headers: admin });
  return ((await res.json()) as { events: unknown[] }).events.map((e) => AuditEventSchema.parse(e));
}

describe('an MVP outage at weight 0, the candidate on standby', () => {
  let stack: PublicStack;
  beforeAll(async () => {
    stack = await startPublicStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  afterEach(async () => {
    await stack.lab.resetFaults();
  });

  it.each([
    ['stt', 'openai-whisper', 'faster-whisper', transcribe],
    ['llm', 'huggingface', 'groq', chat],
    ['vision', 'easyocr', 'trocr', handwriting],
  ] as const)('%s: %s down → %s serves every request (route fallback), one audit event, an alert', async (component, mvp, candidate, send) => {
    expect(stack.gateway.runtime.state(component)).toMatchObject({ weight: 0, status: 'mvp' });
    await stack.lab.setFault(mvp, { mode: 'down' });
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await send(stack.url, `eleve-${i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(answers.every((a) => a.provider === candidate && a.route === 'fallback')).toBe(true);

    const fallbackEvents = (await events(stack.url, component)).filter((e) => e.action === 'candidate-fallback');
    expect(fallbackEvents).toHaveLength(1);
    expect(fallbackEvents[0]!.actor).toBe('gateway');
    expect(fallbackEvents[0]!.reason).toContain(mvp);

    const view = ComponentSummarySchema.parse(await (await fetch(`${stack.url}/admin/v1/components/${component}`, { headers: admin })).json());
    const alert = view.alerts.find((a) => a.metric === 'candidate_fallback');
    expect(alert).toMatchObject({ provider: candidate, value: 12 });

    // The MVP back: it serves its cohort again, and the episode's event is not repeated.
    await stack.lab.resetFaults();
    expect(await send(stack.url, 'eleve-back')).toMatchObject({ status: 200, provider: mvp, route: 'mvp' });
    expect((await events(stack.url, component)).filter((e) => e.action === 'candidate-fallback')).toHaveLength(1);
  });
});

describe('a candidate that is not live', () => {
  it('is not the MVP fallback before the migration starts unless its config says fallbackForMvp: the MVP outage fails as 502', async () => {
    const stack = await startPublicStack((loaded) => {
      loaded.config.components.stt!.providers['faster-whisper']!.fallbackForMvp = false;
    });
    try {
      await stack.lab.setFault('openai-whisper', { mode: 'down' });
      expect(await transcribe(stack.url, 'eleve-1')).toMatchObject({ status: 502 });
      // Once the migration has started, a healthy candidate serves the MVP cohort whatever the flag says.
      stack.setWeight('stt', 0.01);
      const answer = await transcribe(stack.url, 'eleve-1');
      expect(answer).toMatchObject({ status: 200, provider: 'faster-whisper', route: 'fallback' });
    } finally {
      await stack.close();
    }
  });
});
