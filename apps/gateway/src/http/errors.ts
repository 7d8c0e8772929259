// The public API's errors, all in the shared shape `{ error: { code, message, component?, field? } }`,
// including the ones Fastify raises itself (malformed JSON, body too large, unknown route).
import { ERROR_STATUS, errorBody, type ErrorCode } from '@bascule/contracts';
import type { Component, ProviderId, Route } from '@bascule/routing';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { showValue } from './show-value.ts';

export class PublicError extends Error {
  /** Set by the executor on a routed failure: what the X-Bascule-* headers report. */
  timing?: { upstreamMs: number; provider?: ProviderId; route?: Route };
  /** Set on a 429: the Retry-After header, in seconds. */
  retryAfterS?: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { field?: string; component?: Component } = {},
  ) {
    super(message);
    this.name = 'PublicError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function sendPublicError(reply: FastifyReply, error: PublicError): FastifyReply {
  const extra: { field?: string; component?: Component } = {};
  if (error.extra.component) extra.component = error.extra.component;
  if (error.extra.field) extra.field = error.extra.field;
  if (error.retryAfterS !== undefined) reply.header('retry-after', String(error.retryAfterS));
  return reply.code(error.status).send(errorBody(error.code, error.message, extra));
}

/** The first issue of a zod error as a 400 naming the field: `messages[0].content: expected string`. */
export function fromZodError(error: z.ZodError, input: unknown, prefix = ''): PublicError {
  const issue = error.issues[0]!;
  const path = [...(prefix ? [prefix] : []), ...issue.path];
  const field = path.length === 0 ? 'body' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  let value: unknown = input;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.path.length === 0 && prefix === '') return new PublicError('invalid_request', `body: expected a JSON object (${message})`, { field: 'body' });
  const text = value === undefined ? `missing (${message})` : `${message}, got ${showValue(value)}`;
  return new PublicError('invalid_request', `${field}: ${text}`, { field });
}

/** Maps any error thrown while serving a public route to the shared shape; never leaks internals. */
export function publicErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof PublicError) return sendPublicError(reply, error);
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  const code = fastifyError.code ?? '';
  if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') {
    return sendPublicError(reply, new PublicError('payload_too_large', `body: larger than this endpoint accepts (${error.message})`, { field: 'body' }));
  }
  if (status === 415 || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendPublicError(reply, new PublicError('unsupported_media_type', `Content-Type: not accepted here (${request.headers['content-type'] ?? 'none'})`, { field: 'content-type' }));
  }
  if (status === 429) return sendPublicError(reply, new PublicError('rate_limited', error.message || 'too many requests for this client key'));
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return sendPublicError(reply, new PublicError('invalid_request', `body: malformed JSON (${error.message})`, { field: 'body' }));
  }
  if (status >= 400 && status < 500) {
    return sendPublicError(reply, new PublicError(status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'invalid_request', error.message));
  }
  request.log.error({ err: error }, 'public API error');
  return sendPublicError(reply, new PublicError('internal_error', 'internal error'));
}
