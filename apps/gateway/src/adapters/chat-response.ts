// A plain chat completion from an upstream, checked without zod on the hot path. `readChatCompletion` gives
// exactly what `ChatCompletionResponseSchema.parse` would (the same keys in the same order, unknown keys
// dropped) for a well-formed body, and null for anything else: the caller then asks zod, whose message names
// what is wrong. Kept in step with the schema by a test that compares the two on every fixture.
import { ChatCompletionResponseSchema, type ChatCompletionResponse } from '@bascule/contracts';

type Choice = ChatCompletionResponse['choices'][number];
type FinishReason = Choice['finish_reason'];

const FINISH_REASONS: ReadonlySet<unknown> = new Set<FinishReason>(['stop', 'length', 'content_filter', 'tool_calls']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function readChoice(raw: unknown): Choice | null {
  if (!isRecord(raw) || !isCount(raw.index) || !isRecord(raw.message)) return null;
  const { role, content } = raw.message;
  if (role !== 'assistant' || (typeof content !== 'string' && content !== null)) return null;
  if (raw.finish_reason !== null && !FINISH_REASONS.has(raw.finish_reason)) return null;
  return { index: raw.index, message: { role, content }, finish_reason: raw.finish_reason as FinishReason };
}

/** The fast path: the parsed response, or null when the body is not one we can vouch for without zod. */
export function readChatCompletion(raw: unknown): ChatCompletionResponse | null {
  if (!isRecord(raw)) return null;
  const { id, object, created, model, choices, usage } = raw;
  if (typeof id !== 'string' || object !== 'chat.completion' || !Number.isSafeInteger(created) || typeof model !== 'string') return null;
  if (!Array.isArray(choices) || choices.length === 0) return null;
  const read: Choice[] = [];
  for (const choice of choices) {
    const c = readChoice(choice);
    if (!c) return null;
    read.push(c);
  }
  const value: ChatCompletionResponse = { id, object, created: created as number, model, choices: read };
  if (usage === undefined) return 'usage' in raw ? null : value;
  if (!isRecord(usage) || !isCount(usage.prompt_tokens) || !isCount(usage.completion_tokens) || !isCount(usage.total_tokens)) return null;
  value.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
  return value;
}

/** The response, or the zod issue that makes it not one. */
export function parseChatCompletion(raw: unknown): { ok: true; value: ChatCompletionResponse } | { ok: false; message: string } {
  const fast = readChatCompletion(raw);
  if (fast) return { ok: true, value: fast };
  const parsed = ChatCompletionResponseSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid' };
}
