// Admin API errors in the shared shape `{ error: { code, message, field? } }`.
import { ERROR_STATUS, errorBody, type ErrorCode, type ErrorDetail } from '@bascule/contracts';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export class AdminError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, field?: string, extra: Pick<ErrorDetail, 'blockers'> = {}): FastifyReply {
  return reply.code(ERROR_STATUS[code]).send(errorBody(code, message, field === undefined ? extra : { field, ...extra }));
}

/** The first issue of a zod error as `field: message`. */
export function fromZod(error: z.ZodError, input: unknown): AdminError {
  const issue = error.issues[0]!;
  const field = issue.path.length === 0 ? '(body)' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
  let value: unknown = input;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const message = issue.path.length === 0 ? 'expected a JSON object' : issue.message.replace(/^Invalid input: /, '');
  const text = value === undefined && issue.path.length > 0 ? `missing (${message})` : `${message}, got ${JSON.stringify(value) ?? String(value)}`;
  return new AdminError('invalid_request', `${field}: ${text}`, field);
}
