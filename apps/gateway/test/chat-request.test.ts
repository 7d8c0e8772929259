// The chat request fast path (src/public/chat-request.ts) against the contract's zod schema: for every body,
// either the fast path declines (null) or it gives exactly what zod gives, keys and order included; and a
// body it declines still gets zod's 400 naming the field.
import { ChatCompletionRequestSchema } from '@bascule/contracts';
import { describe, expect, it } from 'vitest';
import { PublicError } from '../src/http/errors.ts';
import { parseChatRequest, readChatRequest } from '../src/public/chat-request.ts';

const base = (): Record<string, unknown> => ({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Écris une phrase avec le mot « chat ».' }], max_tokens: 32 });
const msg = (extra: Record<string, unknown>) => ({ ...base(), messages: [{ role: 'user', content: 'x', ...extra }] });

// Bodies OpenAI clients send: extras at every level (dropped by the schema, so by the fast path too).
const valid: Record<string, unknown> = {
  bench: base(),
  'messages only': { messages: [{ role: 'system', content: '' }] },
  'every key, in another order': {
    user: 'eleve-1',
    stop: ['\n', 'FIN'],
    top_p: 1,
    temperature: 0,
    max_completion_tokens: 8192,
    max_tokens: 1,
    stream_options: { include_usage: true, extra: 1 },
    stream: true,
    model: 'm',
    messages: [
      { content: 'Tu es un maître.', role: 'system', name: 'prof' },
      { role: 'user', content: [{ type: 'text', text: 'Bonjour', cache_control: {} }, { text: '', type: 'text' }] },
      { role: 'assistant', content: 'Bonjour !', refusal: null },
    ],
  },
  'openai extras': { ...base(), n: 1, presence_penalty: 0, logprobs: false, metadata: { a: 1 } },
  'stop as a string': { ...base(), stop: 'FIN' },
  'empty stop list': { ...base(), stop: [] },
  'four stops': { ...base(), stop: ['a', 'b', 'c', 'd'] },
  'empty stream options': { ...base(), stream: false, stream_options: {} },
  'fractional temperature': { ...base(), temperature: 1.25, top_p: 0.5 },
  'user of 256 characters': { ...base(), user: 'u'.repeat(256) },
  'integer written as a float': { ...base(), max_tokens: 32.0 },
};

const invalid: Record<string, unknown> = {
  'not an object': 'chat',
  null: null,
  array: [base()],
  'messages missing': { model: 'm' },
  'no messages': { messages: [] },
  'messages an object': { messages: { role: 'user', content: 'x' } },
  'role tool': msg({ role: 'tool' }),
  'role missing': { messages: [{ content: 'x' }] },
  'content a number': msg({ content: 3 }),
  'content null': msg({ content: null }),
  'content an empty list': msg({ content: [] }),
  'content part an image': msg({ content: [{ type: 'image_url', image_url: { url: 'x' } }] }),
  'content part without text': msg({ content: [{ type: 'text' }] }),
  'name a number': msg({ name: 7 }),
  'model empty': { ...base(), model: '' },
  'model a number': { ...base(), model: 1 },
  'stream a string': { ...base(), stream: 'true' },
  'stream null': { ...base(), stream: null },
  'stream options not an object': { ...base(), stream_options: true },
  'include_usage a string': { ...base(), stream_options: { include_usage: 'yes' } },
  'max_tokens 0': { ...base(), max_tokens: 0 },
  'max_tokens over 8192': { ...base(), max_tokens: 8193 },
  'max_tokens fractional': { ...base(), max_tokens: 1.5 },
  'max_tokens a string': { ...base(), max_tokens: '32' },
  'max_completion_tokens 0': { ...base(), max_completion_tokens: 0 },
  'temperature over 2': { ...base(), temperature: 2.5 },
  'temperature negative': { ...base(), temperature: -0.1 },
  'top_p over 1': { ...base(), top_p: 1.5 },
  'five stops': { ...base(), stop: ['a', 'b', 'c', 'd', 'e'] },
  'stop a number': { ...base(), stop: 1 },
  'stop list of numbers': { ...base(), stop: [1] },
  'user empty': { ...base(), user: '' },
  'user over 256 characters': { ...base(), user: 'u'.repeat(257) },
  'second message broken': { messages: [{ role: 'user', content: 'x' }, { role: 'user' }] },
};

describe('readChatRequest', () => {
  it.each(Object.entries(valid))('%s: the fast path answers, exactly as zod does', (_name, body) => {
    const fast = readChatRequest(body);
    const zod = ChatCompletionRequestSchema.parse(body);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(zod);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
  });

  it.each(Object.entries(invalid))('%s: the fast path declines and zod refuses', (_name, body) => {
    expect(readChatRequest(body)).toBeNull();
    expect(ChatCompletionRequestSchema.safeParse(body).success).toBe(false);
  });

  it('leaves a key present with undefined (never from JSON) to zod, which keeps it', () => {
    const body = { ...base(), user: undefined };
    expect(readChatRequest(body)).toBeNull();
    expect(parseChatRequest(body)).toStrictEqual(ChatCompletionRequestSchema.parse(body));
  });

  it('copies what it returns: changing the output leaves the body alone', () => {
    const body = { ...base(), stop: ['FIN'], stream_options: { include_usage: true } } as Record<string, unknown>;
    const fast = readChatRequest(body)!;
    (fast.stop as string[]).push('x');
    fast.messages[0]!.content = 'changed';
    expect(body.stop).toEqual(['FIN']);
    expect(fast.stream_options).not.toBe(body.stream_options);
    expect((body.messages as { content: string }[])[0]!.content).not.toBe('changed');
  });
});

describe('parseChatRequest', () => {
  it('gives the fast path’s answer for a good body', () => {
    expect(parseChatRequest(base())).toStrictEqual(ChatCompletionRequestSchema.parse(base()));
  });

  it.each([
    ['max_tokens over 8192', 'max_tokens'],
    ['role tool', 'messages[0].role'],
    ['user empty', 'user'],
    ['messages missing', 'messages'],
  ])('%s: a 400 naming %s, from zod', (name, field) => {
    let error: unknown;
    try {
      parseChatRequest(invalid[name]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PublicError);
    expect((error as PublicError).status).toBe(400);
    expect((error as PublicError).extra.field).toBe(field);
  });
});
