// The one error body every Bascule HTTP surface answers with: the gateway's public and admin APIs,
// and (with `ServiceErrorSchema` in services.ts) the model images. A client can always read
// `body.error.code` and `body.error.message`, whatever went wrong.
import { z } from 'zod';
import { ComponentSchema } from './vocabulary.ts';

/** Machine-readable error codes, each with the HTTP status the gateway answers it with. */
export const ERROR_STATUS = {
  invalid_request: 400, // bad input; `field` names the offending field
  unauthorized: 401, // missing or unknown client key / admin token
  forbidden: 403, // authenticated, but not allowed to do this
  not_found: 404, // unknown route, component or resource
  conflict: 409, // the request contradicts the current state (e.g. resume while not in rollback)
  blocked: 409, // a gated action (raise the weight, promote) whose gates are not met; `blockers` says what blocks it
  payload_too_large: 413, // body over the endpoint's limit
  unsupported_media_type: 415, // wrong Content-Type for the endpoint
  rate_limited: 429, // too many requests for this client key
  internal_error: 500, // a bug in the gateway; never caused by the client
  upstream_failed: 502, // every provider of the component failed
  unavailable: 503, // not ready (starting, shutting down)
  upstream_timeout: 504, // the component's deadline passed before any provider answered
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorDetailSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string().min(1),
  /** The component the request was routed to, when it got that far. */
  component: ComponentSchema.optional(),
  /** For 400s: the path of the offending field, e.g. `messages[0].content` or `weight`. */
  field: z.string().min(1).optional(),
  /**
   * For `blocked`: what stops the action, each with a code (`verdict`: GO/NO-GO is not GO; `critical_alert`: one
   * is open on the candidate; `min_time`: the step has not been held its minimum time) and a message.
   * Sending the request again with `override: { reason }` goes ahead, and the audit log records the override.
   */
  blockers: z.array(z.object({ code: z.enum(['verdict', 'critical_alert', 'min_time']), message: z.string().min(1) })).optional(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({ error: ErrorDetailSchema });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Builds an error body; `status` is `ERROR_STATUS[code]`. */
export function errorBody(code: ErrorCode, message: string, extra: Omit<ErrorDetail, 'code' | 'message'> = {}): ErrorBody {
  return { error: { code, message, ...extra } };
}
