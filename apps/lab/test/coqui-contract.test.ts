// The lab's tts stand-in speaks the plan's voices (libs/contracts TTS_VOICES), as the image does: every
// contract fixture gets the answer the real image gives it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TTS_VOICE_IDS, TtsVoiceErrorSchema } from '@bascule/contracts';
import { COQUI_VOICES, parseWav, startLab, type Lab } from '../src/index.ts';
import { postJson } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../../../libs/contracts/fixtures/tts/', import.meta.url));
const requests = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('synthesize.request.'))
  .map((f) => ({ name: f, valid: f.includes('.valid.'), body: JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as unknown }));

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0 });
});
afterAll(async () => {
  await lab.close();
});

describe('coqui stand-in and the contract', () => {
  it('has exactly the plan voices', () => {
    expect(Object.keys(COQUI_VOICES)).toEqual(TTS_VOICE_IDS);
  });

  it.each(requests)('$name', async ({ valid, body }) => {
    const answer = await postJson(`${lab.upstreams.coqui.baseUrl}/synthesize`, body);
    if (valid) {
      expect(answer.status).toBe(200);
      expect(parseWav(answer.bytes)?.durationS).toBeGreaterThan(0);
    } else {
      expect(answer.status).toBe(400);
    }
  });

  it('answers an unknown voice as the fixture does', async () => {
    const answer = await postJson(`${lab.upstreams.coqui.baseUrl}/synthesize`, { text: 'maison', voice: 'alloy' });
    const fixture = TtsVoiceErrorSchema.parse(JSON.parse(readFileSync(join(FIXTURES, 'synthesize.voice_error.valid.unknown-voice.json'), 'utf8')));
    expect(TtsVoiceErrorSchema.parse(answer.json())).toEqual(fixture);
  });
});
