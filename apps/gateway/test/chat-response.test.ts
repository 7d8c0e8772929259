// The chat completion fast path (adapters/chat-response.ts) against the contract's zod schema: for every
// body, either the fast path declines (null) or it gives exactly what zod gives, keys and order included.
import { ChatCompletionResponseSchema } from '@bascule/contracts';
import { describe, expect, it } from 'vitest';
import { parseChatCompletion, readChatCompletion } from '../src/adapters/chat-response.ts';

const base = () => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'llama-3.1-8b-instant',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Le chat dort.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});

// Bodies real providers send: extra keys at every level (dropped by the schema, so by the fast path too).
const valid: Record<string, unknown> = {
  minimal: base(),
  'no usage': (({ usage: _usage, ...rest }) => rest)(base()),
  'groq extras': {
    ...base(),
    system_fingerprint: 'fp_1',
    x_groq: { id: 'req_1' },
    usage: { ...base().usage, queue_time: 0.01, prompt_time: 0.002 },
    choices: [{ index: 0, message: { role: 'assistant', content: 'Oui.', refusal: null }, logprobs: null, finish_reason: 'length' }],
  },
  'null content and finish reason': { ...base(), choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: null }] },
  'two choices': { ...base(), choices: [base().choices[0], { index: 1, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' }] },
  'keys in another order': { usage: base().usage, choices: base().choices, model: 'm', created: 1, object: 'chat.completion', id: 'x' },
};

const invalid: Record<string, unknown> = {
  'not an object': 'chat',
  null: null,
  array: [base()],
  'wrong object': { ...base(), object: 'chat.completion.chunk' },
  'id missing': (({ id: _id, ...rest }) => rest)(base()),
  'created not an integer': { ...base(), created: 1.5 },
  'created a string': { ...base(), created: '1700000000' },
  'model a number': { ...base(), model: 7 },
  'no choices': { ...base(), choices: [] },
  'choices an object': { ...base(), choices: base().choices[0] },
  'negative index': { ...base(), choices: [{ ...base().choices[0], index: -1 }] },
  'role user': { ...base(), choices: [{ ...base().choices[0], message: { role: 'user', content: 'x' } }] },
  'content a number': { ...base(), choices: [{ ...base().choices[0], message: { role: 'assistant', content: 3 } }] },
  'content missing': { ...base(), choices: [{ ...base().choices[0], message: { role: 'assistant' } }] },
  'unknown finish reason': { ...base(), choices: [{ ...base().choices[0], finish_reason: 'eos' }] },
  'finish reason missing': { ...base(), choices: [{ index: 0, message: { role: 'assistant', content: 'x' } }] },
  'usage null': { ...base(), usage: null },
  'usage negative': { ...base(), usage: { ...base().usage, total_tokens: -1 } },
  'usage fractional': { ...base(), usage: { ...base().usage, prompt_tokens: 1.5 } },
  'usage incomplete': { ...base(), usage: { prompt_tokens: 1, completion_tokens: 2 } },
};

describe('readChatCompletion', () => {
  it.each(Object.entries(valid))('%s: the fast path answers, exactly as zod does', (_name, body) => {
    const fast = readChatCompletion(body);
    const zod = ChatCompletionResponseSchema.parse(body);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(zod);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
  });

  it.each(Object.entries(invalid))('%s: the fast path declines and zod refuses', (_name, body) => {
    expect(readChatCompletion(body)).toBeNull();
    expect(ChatCompletionResponseSchema.safeParse(body).success).toBe(false);
  });

  it('parseChatCompletion reports zod’s message for a body the fast path declines', () => {
    const body = invalid['wrong object'];
    const zod = ChatCompletionResponseSchema.safeParse(body);
    expect(parseChatCompletion(body)).toEqual({ ok: false, message: zod.error?.issues[0]?.message });
    expect(parseChatCompletion(valid.minimal)).toEqual({ ok: true, value: ChatCompletionResponseSchema.parse(valid.minimal) });
  });
});
