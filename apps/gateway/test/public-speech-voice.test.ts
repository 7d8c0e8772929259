// POST /v1/audio/speech follows OpenAI's shape: `voice` may be "default", one of the plan's French voices,
// or an OpenAI voice name (which means the default French voice); anything else is a 400 naming `voice`,
// listing what it admits, before any provider is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, WebSpeechDirectiveSchema } from '@bascule/contracts';
import { parseWav } from '@bascule/lab';
import { auth, startPublicStack, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack();
});
afterAll(async () => {
  await stack.close();
});

const speak = (body: unknown) =>
  fetch(`${stack.url}/v1/audio/speech`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'x-student-id': 'eleve-7' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
const coquiRequests = () => stack.lab.state().find((u) => u.name === 'coqui')?.requests ?? 0;

describe('speech voices', () => {
  it.each(['alloy', 'nova', 'default', 'fr-female-clear', 'fr-male-gentle'])('%s is spoken by coqui on the production route', async (voice) => {
    stack.setWeight('tts', 100);
    const res = await speak({ model: 'tts-1', input: 'Le chat dort.', voice });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bascule-provider')).toBe('coqui');
    expect(parseWav(Buffer.from(await res.arrayBuffer()))?.durationS).toBeGreaterThan(0);
  });

  it('an OpenAI voice is not passed to the browser as a voice hint', async () => {
    stack.setWeight('tts', 0);
    const res = await speak({ input: 'maison', voice: 'alloy' });
    expect(res.status).toBe(200);
    const directive = WebSpeechDirectiveSchema.parse(await res.json());
    expect(directive.voice).toBeUndefined();
  });

  it('an unknown voice is a 400 naming voice and listing the voices, before any provider is asked', async () => {
    stack.setWeight('tts', 100);
    const before = coquiRequests();
    const res = await speak({ input: 'maison', voice: 'fr-female-1' });
    expect(res.status).toBe(400);
    const { error } = ErrorBodySchema.parse(await res.json());
    expect(error).toMatchObject({ code: 'invalid_request', field: 'voice' });
    expect(error.message).toContain('fr-female-clear, fr-male-gentle');
    expect(error.message).toContain('alloy');
    expect(error.message).toContain('"fr-female-1"');
    expect(coquiRequests()).toBe(before);
  });

  it('a speed OpenAI allows but the image does not is said at the nearest speed the image can say', async () => {
    stack.setWeight('tts', 100);
    const slow = await speak({ input: 'maison', voice: 'default', speed: 0.25 });
    const fast = await speak({ input: 'maison', voice: 'default', speed: 4 });
    expect([slow.status, fast.status]).toEqual([200, 200]);
    const seconds = async (r: Response) => parseWav(Buffer.from(await r.arrayBuffer()))!.durationS;
    // The lab speaks about 14 characters a second divided by the speed: 0.5 and 2 after clamping.
    expect(await seconds(slow)).toBeGreaterThan(await seconds(fast));
  });
});
