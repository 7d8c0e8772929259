// Which failures of an upstream call may fall back to another provider, and which are the caller's fault.
// Transient (fall back, count against the breaker): timeout, connection refused/reset, 5xx, 429.
// Client (never retried, returned as is): any other 4xx.

export type FailureKind = 'timeout' | 'connection' | 'server' | 'rate-limited' | 'client' | 'unknown';
export type FailureClass = 'transient' | 'client';

export interface Failure {
  class: FailureClass;
  kind: FailureKind;
  /** The upstream's HTTP status, when it answered one. */
  status?: number;
  message: string;
}

/** What an adapter can say about a failed call; anything else (an Error, a thrown value) is also accepted. */
export type FailureInput =
  | { type: 'timeout'; message?: string }
  | { type: 'connection'; code?: string; message?: string }
  | { type: 'status'; status: number; message?: string };

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError']);

/** Classifies a failure description, an HTTP status, or a thrown error (undici / Node error codes). */
export function classifyFailure(outcome: FailureInput | unknown): Failure {
  if (isFailureInput(outcome)) return fromInput(outcome);
  const err = outcome as { name?: unknown; code?: unknown; status?: unknown; statusCode?: unknown; message?: unknown; cause?: unknown } | null;
  const message = typeof err?.message === 'string' ? err.message : String(outcome);
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  if (status !== undefined) return fromStatus(status, message);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const name = typeof err?.name === 'string' ? err.name : undefined;
  if ((code && TIMEOUT_CODES.has(code)) || (name && TIMEOUT_NAMES.has(name))) return { class: 'transient', kind: 'timeout', message };
  if (code && CONNECTION_CODES.has(code)) return { class: 'transient', kind: 'connection', message: `${code}: ${message}` };
  if (err?.cause !== undefined && err.cause !== outcome) {
    const inner = classifyFailure(err.cause);
    if (inner.kind !== 'unknown') return inner;
  }
  // An upstream that fails in a way we cannot name (bad body, protocol error) is an upstream failure: fall back.
  return { class: 'transient', kind: 'unknown', message };
}

function isFailureInput(value: unknown): value is FailureInput {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'timeout' || type === 'connection' || type === 'status';
}

function fromInput(input: FailureInput): Failure {
  switch (input.type) {
    case 'timeout':
      return { class: 'transient', kind: 'timeout', message: input.message ?? 'upstream timed out' };
    case 'connection':
      return { class: 'transient', kind: 'connection', message: input.message ?? `connection failed${input.code ? ` (${input.code})` : ''}` };
    case 'status':
      return fromStatus(input.status, input.message);
  }
}

function fromStatus(status: number, message?: string): Failure {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    return { class: 'transient', kind: 'unknown', status, message: message ?? `invalid upstream status ${status}` };
  }
  const text = message ?? `upstream answered ${status}`;
  if (status === 429) return { class: 'transient', kind: 'rate-limited', status, message: text };
  if (status >= 500) return { class: 'transient', kind: 'server', status, message: text };
  if (status >= 400) return { class: 'client', kind: 'client', status, message: text };
  return { class: 'transient', kind: 'unknown', status, message: message ?? `unexpected upstream status ${status}` };
}

/** True when the failure may be retried on another provider. */
export function isTransient(failure: Failure): boolean {
  return failure.class === 'transient';
}
