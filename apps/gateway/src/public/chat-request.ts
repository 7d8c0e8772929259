// The body of POST /v1/chat/completions, checked without zod on the hot path (zod was ~1.5 % of the gateway's
// CPU per request). `readChatRequest` gives exactly what `ChatCompletionRequestSchema.parse` would (the same
// keys in the same order, unknown keys dropped) for a well-formed body, and null for anything else, so the
// caller asks zod, whose issue names the field. Kept in step with the schema by a test that compares the two
// on every fixture (test/chat-request.test.ts): a change to the schema that this file misses fails there.
import { ChatCompletionRequestSchema, type ChatCompletionRequest, type ChatMessage } from '@bascule/contracts';
import { fromZodError } from '../http/errors.ts';

type Content = ChatMessage['content'];
type TextPart = Exclude<Content, string>[number];

const ROLES: ReadonlySet<unknown> = new Set<ChatMessage['role']>(['system', 'user', 'assistant']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumberIn = (value: unknown, min: number, max: number): value is number => typeof value === 'number' && value >= min && value <= max;
const isIntIn = (value: unknown, min: number, max: number): value is number => Number.isSafeInteger(value) && isNumberIn(value, min, max);

/**
 * An optional key: absent is fine, present must pass `ok`. A key present with `undefined` (never from JSON)
 * is left to zod, which keeps it in its output.
 */
function optional(raw: Record<string, unknown>, key: string, ok: (value: unknown) => boolean): boolean {
  const value = raw[key];
  return value === undefined ? !(key in raw) : ok(value);
}

function readContent(raw: unknown): Content | null {
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const parts: TextPart[] = [];
  for (const part of raw as unknown[]) {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') return null;
    parts.push({ type: 'text', text: part.text });
  }
  return parts;
}

function readMessage(raw: unknown): ChatMessage | null {
  if (!isRecord(raw) || !ROLES.has(raw.role)) return null;
  const content = readContent(raw.content);
  if (content === null || !optional(raw, 'name', (v) => typeof v === 'string')) return null;
  const message: ChatMessage = { role: raw.role as ChatMessage['role'], content };
  if (raw.name !== undefined) message.name = raw.name as string;
  return message;
}

const isStop = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.length <= 4 && v.every((s) => typeof s === 'string'));
const isStreamOptions = (v: unknown) => isRecord(v) && optional(v, 'include_usage', (u) => typeof u === 'boolean');
const isModel = (v: unknown) => typeof v === 'string' && v.length >= 1;
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isTokens = (v: unknown) => isIntIn(v, 1, 8192);
const isTemperature = (v: unknown) => isNumberIn(v, 0, 2);
const isTopP = (v: unknown) => isNumberIn(v, 0, 1);
const isUser = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 256;

/** Every optional key of the schema has its check (written out, key by key: property reads V8 can cache). */
function optionalKeysOk(raw: Record<string, unknown>): boolean {
  return (
    optional(raw, 'model', isModel) &&
    optional(raw, 'stream', isBoolean) &&
    optional(raw, 'stream_options', isStreamOptions) &&
    optional(raw, 'max_tokens', isTokens) &&
    optional(raw, 'max_completion_tokens', isTokens) &&
    optional(raw, 'temperature', isTemperature) &&
    optional(raw, 'top_p', isTopP) &&
    optional(raw, 'stop', isStop) &&
    optional(raw, 'user', isUser)
  );
}

/** The fast path: the parsed request, or null when the body is not one we can vouch for without zod. */
export function readChatRequest(raw: unknown): ChatCompletionRequest | null {
  if (!isRecord(raw) || !Array.isArray(raw.messages) || raw.messages.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const item of raw.messages as unknown[]) {
    const message = readMessage(item);
    if (!message) return null;
    messages.push(message);
  }
  if (!optionalKeysOk(raw)) return null;
  // The schema's key order; objects and arrays are copies (unknown keys dropped), as the schema makes them.
  const request: ChatCompletionRequest = { messages };
  if (raw.model !== undefined) request.model = raw.model as string;
  if (raw.stream !== undefined) request.stream = raw.stream as boolean;
  if (raw.stream_options !== undefined) request.stream_options = streamOptionsOf(raw.stream_options as Record<string, unknown>);
  if (raw.max_tokens !== undefined) request.max_tokens = raw.max_tokens as number;
  if (raw.max_completion_tokens !== undefined) request.max_completion_tokens = raw.max_completion_tokens as number;
  if (raw.temperature !== undefined) request.temperature = raw.temperature as number;
  if (raw.top_p !== undefined) request.top_p = raw.top_p as number;
  if (raw.stop !== undefined) request.stop = typeof raw.stop === 'string' ? raw.stop : [...(raw.stop as string[])];
  if (raw.user !== undefined) request.user = raw.user as string;
  return request;
}

function streamOptionsOf(raw: Record<string, unknown>): NonNullable<ChatCompletionRequest['stream_options']> {
  return raw.include_usage === undefined ? {} : { include_usage: raw.include_usage as boolean };
}

/** The request, or the 400 that names its first bad field (zod's issue, as before the fast path). */
export function parseChatRequest(raw: unknown): ChatCompletionRequest {
  const fast = readChatRequest(raw);
  if (fast) return fast;
  const parsed = ChatCompletionRequestSchema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error, raw);
  return parsed.data;
}
