// The official `openai` npm client, pointed at the gateway, completes a chat (plain and streamed), a
// transcription and a speech request: the public endpoints really are OpenAI's shapes.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spokenWav } from '@bascule/lab';
import { CLIENT_KEY, startPublicStack, type PublicStack } from './support/public-stack.ts';

let stack: PublicStack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startPublicStack();
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: CLIENT_KEY, defaultHeaders: { 'X-Student-Id': 'eleve-openai' }, maxRetries: 0, timeout: 10_000 });
});
afterAll(async () => {
  await stack.close();
});

describe('the openai client against the gateway', () => {
  it('completes a chat', async () => {
    const completion = await client.chat.completions.create({ model: 'bascule-llm', messages: [{ role: 'user', content: 'Écris une phrase avec « soleil ».' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('bascule-llm');
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('streams a chat', async () => {
    stack.setWeight('llm', 100);
    const stream = await client.chat.completions.create({ model: 'bascule-llm', stream: true, messages: [{ role: 'user', content: 'Une phrase.' }] });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
  });

  it('surfaces a gateway error as an APIError with the status and code', async () => {
    const error = await client.chat.completions.create({ model: 'x', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_request');
  });

  it.each([0, 100])('transcribes audio (stt weight %i)', async (weight) => {
    stack.setWeight('stt', weight);
    const transcription = await client.audio.transcriptions.create({ file: await toFile(spokenWav('la maison est grande'), 'lecture.wav', { type: 'audio/wav' }), model: 'whisper-1', language: 'fr' });
    expect(transcription.text.toLowerCase()).toContain('maison');
  });

  it('synthesises speech as WAV from the production voice', async () => {
    stack.setWeight('tts', 100);
    // An OpenAI voice name, as an app written for OpenAI sends it: the gateway speaks its default French voice.
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'bonjour', response_format: 'wav' });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
  });
});
