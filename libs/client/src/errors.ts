// What the client throws. A BasculeError carries the gateway's error body; a BasculeNetworkError means
// the gateway gave no HTTP answer at all (unreachable, or no answer within the client's timeout).
import type { ErrorCode } from '@bascule/contracts';

/** The gateway answered with an error status. `code` is the gateway's, or `unexpected_response`
 *  when something else answered (a proxy's HTML page, a truncated body). */
export class BasculeError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'unexpected_response';
  readonly component: string | undefined;
  readonly field: string | undefined;

  constructor(status: number, code: ErrorCode | 'unexpected_response', message: string, extra: { component?: string; field?: string } = {}) {
    super(message);
    this.name = 'BasculeError';
    this.status = status;
    this.code = code;
    this.component = extra.component;
    this.field = extra.field;
  }
}

export class BasculeNetworkError extends Error {
  readonly kind: 'timeout' | 'unreachable';

  constructor(kind: 'timeout' | 'unreachable', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BasculeNetworkError';
    this.kind = kind;
  }
}

/** Turns a non-2xx answer into a BasculeError, reading the gateway's `{error:{...}}` body when present. */
export async function errorFromResponse(response: Response): Promise<BasculeError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; component?: unknown; field?: unknown } };
    const detail = body.error;
    if (detail && typeof detail.code === 'string' && typeof detail.message === 'string') {
      return new BasculeError(response.status, detail.code as ErrorCode, detail.message, {
        ...(typeof detail.component === 'string' ? { component: detail.component } : {}),
        ...(typeof detail.field === 'string' ? { field: detail.field } : {}),
      });
    }
  } catch {
    // not JSON: reported below as an unexpected response
  }
  return new BasculeError(response.status, 'unexpected_response', `HTTP ${response.status} ${response.statusText}`.trim());
}
