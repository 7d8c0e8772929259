// The one way adapters call an upstream: undici with a connect, headers and body timeout and an overall
// deadline (the attempt's remaining time), so no call can hang. A non-2xx answer becomes an UpstreamError
// carrying the status, which @bascule/routing's classifyFailure reads (4xx: client error, 5xx/429: transient).
import { Agent, FormData, request, type Dispatcher } from 'undici';

// No cap on connections per upstream: under load a cap would queue requests behind it (the deadline still
// bounds each one); keep-alive reuses them.
const agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 2_000 } });

export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The upstream's parsed error body, when it sent JSON. */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** A protocol-level problem (unexpected body): transient, the next provider may do better. */
export class UpstreamProtocolError extends Error {
  override name = 'UpstreamProtocolError';
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Streams: `timeoutMs` bounds only the wait for the response headers and the gap between two body
   * chunks, not the whole body (the caller bounds the time to the first event with `signal`).
   */
  streaming?: boolean;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Stops the overall timer once the body has been read (the timer is cleared on failure already). */
  done(): void;
}

function timeoutError(ms: number): Error {
  return new DOMException(`no answer within ${ms} ms`, 'TimeoutError');
}

/**
 * Sends the request; resolves on a 2xx (body unread: call `done()` after reading it), throws UpstreamError
 * otherwise (body consumed). One plain timer per call bounds the whole exchange (cheaper under load than
 * AbortSignal.timeout, whose timers outlive the call), on top of undici's headers and body timeouts.
 */
export async function callUpstream(req: UpstreamRequest): Promise<UpstreamResponse> {
  const timeout = Math.max(1, Math.floor(req.timeoutMs));
  const controller = new AbortController();
  const timer = req.streaming ? null : setTimeout(() => controller.abort(timeoutError(timeout)), timeout);
  const onAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const done = () => {
    if (timer) clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  };
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: controller.signal,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return { statusCode: response.statusCode, headers: response.headers, body: response.body, done };
    const text = await response.body.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    throw new UpstreamError(response.statusCode, `${new URL(req.url).pathname} answered ${response.statusCode}: ${upstreamMessage(parsed) ?? text.slice(0, 200)}`, parsed);
  } catch (error) {
    done();
    throw error;
  }
}

export async function callJson<T>(req: UpstreamRequest): Promise<T> {
  const response = await callUpstream(req);
  let text: string;
  try {
    text = await response.body.text();
  } finally {
    response.done();
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UpstreamProtocolError(`${new URL(req.url).pathname}: expected a JSON body, got ${text.slice(0, 80)}`);
  }
}

function upstreamMessage(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

export function joinUrl(base: string | undefined, path: string): string {
  if (!base) throw new TypeError('baseUrl: missing for this provider (set it in the gateway config)');
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function bearer(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

export { FormData };
