// The three OpenAI-compatible chat upstreams: Hugging Face's router, Groq, llama.cpp's server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCompletionChunkSchema, ChatCompletionResponseSchema, STREAM_DONE } from '@bascule/contracts';
import { startLab, type Lab } from '../src/index.ts';
import { call, postJson, sseData } from './helpers.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ latencyScale: 0, seed: 42 });
});
afterAll(async () => {
  await lab.close();
});

const FLAVOURS = [
  { name: 'huggingface', path: '/v1/chat/completions', errorShape: { error: 'Invalid credentials in Authorization header' } },
  { name: 'groq', path: '/openai/v1/chat/completions', errorShape: { type: 'invalid_request_error', code: 'invalid_api_key' } },
  { name: 'vps-llm', path: '/v1/chat/completions', errorShape: { type: 'authentication_error', code: 401 } },
] as const;

const AUTH = { authorization: 'Bearer test-key' };
const question = { model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Écris un texte sur le chat.' }], max_tokens: 200 };

describe.each(FLAVOURS)('$name chat completions', ({ name, path, errorShape }) => {
  const url = () => `${lab.upstreams[name].baseUrl}${path}`;

  it('answers 401 in the provider’s error shape without a bearer token', async () => {
    const answer = await postJson(url(), question);
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject('error' in errorShape ? errorShape : { error: errorShape });
  });

  it('answers an OpenAI chat.completion with usage, the same for the same conversation', async () => {
    const first = await postJson(url(), question, AUTH);
    expect(first.status).toBe(200);
    const body = ChatCompletionResponseSchema.parse(first.json());
    expect(body.model).toBe(question.model);
    expect(body.choices[0]?.message.content).toMatch(/[a-zàâçéèêëîïôûù]{3,}/i);
    expect(body.usage?.total_tokens).toBe((body.usage?.prompt_tokens ?? 0) + (body.usage?.completion_tokens ?? 0));
    const second = ChatCompletionResponseSchema.parse((await postJson(url(), question, AUTH)).json());
    expect(second.choices[0]?.message.content).toBe(body.choices[0]?.message.content);
    const other = ChatCompletionResponseSchema.parse((await postJson(url(), { ...question, messages: [{ role: 'user', content: 'Autre chose' }] }, AUTH)).json());
    expect(other.choices[0]?.message.content).not.toBe(body.choices[0]?.message.content);
  });

  it('streams chunks that add up to the plain answer, then usage, then [DONE]', async () => {
    const plain = ChatCompletionResponseSchema.parse((await postJson(url(), question, AUTH)).json());
    const answer = await postJson(url(), { ...question, stream: true, stream_options: { include_usage: true } }, AUTH);
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toContain('text/event-stream');
    const data = sseData(answer.text);
    expect(data.at(-1)).toBe(STREAM_DONE);
    const chunks = data.slice(0, -1).map((d) => ChatCompletionChunkSchema.parse(JSON.parse(d)));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1)?.usage).toEqual(plain.usage);
  });

  it('rejects a body without messages with a 400 naming the field', async () => {
    const answer = await postJson(url(), { model: 'm', messages: [] }, AUTH);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('messages');
  });
});

describe('provider specifics', () => {
  it('Groq and Hugging Face require a model; llama.cpp serves its own', async () => {
    const withoutModel = { messages: [{ role: 'user', content: 'Bonjour' }] };
    const groq = await postJson(`${lab.upstreams.groq.baseUrl}/openai/v1/chat/completions`, withoutModel, AUTH);
    expect(groq.status).toBe(400);
    expect(groq.json()).toMatchObject({ error: { param: 'model', type: 'invalid_request_error' } });
    const vps = await postJson(`${lab.upstreams['vps-llm'].baseUrl}/v1/chat/completions`, withoutModel, AUTH);
    expect(vps.status).toBe(200);
    expect(vps.json()).toMatchObject({ model: expect.stringContaining('gguf') });
  });

  it('llama.cpp answers GET /health and every provider lists its models', async () => {
    const health = await call(`${lab.upstreams['vps-llm'].baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const models = await call(`${lab.upstreams.groq.baseUrl}/openai/v1/models`, { headers: AUTH });
    expect(models.json()).toMatchObject({ object: 'list', data: [{ object: 'model', id: 'llama-3.1-8b-instant' }] });
  });

  it('max_tokens bounds the answer', async () => {
    const short = ChatCompletionResponseSchema.parse((await postJson(`${lab.upstreams.groq.baseUrl}/openai/v1/chat/completions`, { ...question, max_tokens: 5 }, AUTH)).json());
    expect(short.choices[0]?.message.content?.split(/\s+/).length).toBeLessThanOrEqual(5);
  });

  it('answers unknown routes with a 404 in the provider’s shape', async () => {
    const answer = await call(`${lab.upstreams.groq.baseUrl}/v1/chat/completions`, { method: 'POST' });
    expect(answer.status).toBe(404);
    expect(answer.json()).toMatchObject({ error: { message: expect.stringContaining('no route') } });
  });
});
