// The one way adapters call an upstream: undici with a connect, headers and body timeout and an overall
// deadline (the attempt's remaining time), so no call can hang. A non-2xx answer becomes an UpstreamError
// carrying the status, which @bascule/routing's classifyFailure reads (4xx: client error, 5xx/429: transient).
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { recordBusyFromHeaders, recordBusyFromRaw } from '../capacity/busy-header.ts';
import type { BusySink } from '../capacity/service-time.ts';

// No cap on connections per upstream: under load a cap would queue requests behind it (the deadline still
// bounds each one); keep-alive reuses them; one request at a time per connection (no pipelining, so a slow
// answer never holds up the next one).
const agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 2_000 }, pipelining: 1 });

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

/**
 * The most an upstream's answer may weigh before the call is cut (a misbehaving upstream must not fill the
 * gateway's memory): JSON answers (chat completions, transcripts, OCR) are a few KiB, a synthesised WAV a
 * few hundred; an error body is read for its message only.
 */
export const UPSTREAM_BODY_LIMITS = { json: 8 * 1024 * 1024, audio: 32 * 1024 * 1024, errorText: 64 * 1024 } as const;

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The host's agent (hosts.ts); default: the shared one. */
  dispatcher?: Dispatcher;
  /**
   * Streams: `timeoutMs` bounds only the wait for the response headers and the gap between two body
   * chunks, not the whole body (the caller bounds the time to the first event with `signal`).
   */
  streaming?: boolean;
  /** A host we run: its answer's `X-Bascule-Busy-Ms` (the model's compute time) goes here (capacity/). */
  busy?: BusySink;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Stops the overall timer once the body has been read (the timer is cleared on failure already). */
  done(): void;
}

/**
 * undici runs timeouts over one second on a coarse clock that ticks every ~half second, so they can fire up
 * to ~0.5 s early: a fallback given its last 1.5 s was cut at 1.2 s. The call's own plain timer is the
 * exact bound; undici's headers and body timeouts get this much slack and only back it up.
 */
const UNDICI_TIMER_SLACK_MS = 1_000;

function timeoutError(ms: number): Error {
  return new DOMException(`no answer within ${ms} ms`, 'TimeoutError');
}

/**
 * Sends the request; resolves on a 2xx (body unread: call `done()` after reading it), throws UpstreamError
 * otherwise (its first 64 KiB read for the message, the rest dropped). One plain timer per call bounds the
 * whole exchange (cheaper under load than AbortSignal.timeout, whose timers outlive the call), on top of
 * undici's headers and body timeouts.
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
      dispatcher: req.dispatcher ?? agent,
      headersTimeout: req.streaming ? timeout : timeout + UNDICI_TIMER_SLACK_MS,
      bodyTimeout: req.streaming ? timeout : timeout + UNDICI_TIMER_SLACK_MS,
      signal: controller.signal,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (req.busy) recordBusyFromHeaders(response.headers, req.busy);
      return { statusCode: response.statusCode, headers: response.headers, body: response.body, done };
    }
    const text = await readBody(response.body, UPSTREAM_BODY_LIMITS.errorText, req.url, true).then((b) => b.toString('utf8'), () => '');
    throw statusError(req.url, response.statusCode, text);
  } catch (error) {
    done();
    throw error;
  }
}

/**
 * Reads a response body into memory, at most `maxBytes` of it: beyond, the body is destroyed and the read
 * fails with an UpstreamProtocolError (or, with `truncate`, resolves with the first `maxBytes`).
 */
export async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number, url: string, truncate = false): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      if (truncate) return Buffer.concat(chunks).subarray(0, maxBytes);
      throw tooLarge(url, maxBytes);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function tooLarge(url: string, maxBytes: number): UpstreamProtocolError {
  return new UpstreamProtocolError(`${pathOf(url)}: answered more than ${maxBytes} bytes`);
}

/**
 * Sends the request and resolves with the parsed JSON of a 2xx answer; throws UpstreamError otherwise, or
 * UpstreamProtocolError when a 2xx body is not JSON. The hot path of every JSON upstream: it dispatches
 * straight to undici with a handler that gathers the body (no Readable stream, no AbortController, no URL
 * object per call), one plain timer bounds the whole exchange, and the caller's signal aborts it.
 */
export function callJson<T>(req: UpstreamRequest): Promise<T> {
  return new Promise<T>((resolve, reject) => new JsonCall<T>(req, resolve, reject).start());
}

interface Target {
  origin: string;
  path: string;
}

// Parsed once per upstream URL (each adapter calls a handful of fixed URLs).
const targets = new Map<string, Target>();

function targetOf(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size < 1_000) targets.set(url, target);
  }
  return target;
}

/** One JSON exchange, as an undici dispatch handler (the callback interface undici's own `request` uses). */
class JsonCall<T> implements Dispatcher.DispatchHandler {
  private readonly timeout: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private abortUndici: ((reason?: Error) => void) | null = null;
  private settled = false;
  private reason: Error | null = null;
  private status = 0;
  private size = 0;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly req: UpstreamRequest,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timeout = Math.max(1, Math.floor(req.timeoutMs));
  }

  start(): void {
    if (this.req.signal?.aborted) return this.fail(signalReason(this.req.signal));
    let target: Target;
    try {
      target = targetOf(this.req.url);
    } catch (error) {
      return this.fail(error);
    }
    this.timer = setTimeout(() => this.abort(timeoutError(this.timeout)), this.timeout);
    // The call itself listens (handleEvent): no closure to make per call.
    this.req.signal?.addEventListener('abort', this, { once: true });
    (this.req.dispatcher ?? agent).dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: this.req.method,
        headers: this.req.headers ?? null,
        body: this.req.body ?? null,
        headersTimeout: this.timeout + UNDICI_TIMER_SLACK_MS,
        bodyTimeout: this.timeout + UNDICI_TIMER_SLACK_MS,
      },
      this,
    );
  }

  /** The timer or the caller gave up: settle now, and tell undici to drop the request (it calls onError). */
  private abort(reason: Error): void {
    if (this.settled) return;
    this.reason = reason;
    this.fail(reason);
    this.abortUndici?.(reason);
  }

  private cleanup(): void {
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.req.signal?.removeEventListener('abort', this);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.cleanup();
    this.reject(error);
  }

  /** The caller's signal aborted (the client left). */
  handleEvent(): void {
    this.abort(signalReason(this.req.signal));
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.reason) abort(this.reason);
    else this.abortUndici = abort;
  }

  onHeaders(statusCode: number, headers: Buffer[]): boolean {
    this.status = statusCode;
    if (this.req.busy && statusCode >= 200 && statusCode < 300) recordBusyFromRaw(headers, this.req.busy);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > UPSTREAM_BODY_LIMITS.json) {
      this.abort(tooLarge(this.req.url, UPSTREAM_BODY_LIMITS.json));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.cleanup();
    const text = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    if (this.status >= 200 && this.status < 300) {
      try {
        this.resolve(JSON.parse(text) as T);
      } catch {
        this.reject(new UpstreamProtocolError(`${pathOf(this.req.url)}: expected a JSON body, got ${text.slice(0, 80)}`));
      }
      return;
    }
    this.reject(statusError(this.req.url, this.status, text));
  }

  onError(error: Error): void {
    this.fail(error);
  }
}

function signalReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('the request was aborted', 'AbortError');
}

function pathOf(url: string): string {
  return targets.get(url)?.path.split('?')[0] ?? new URL(url).pathname;
}

/** The UpstreamError of a non-2xx answer, with the upstream's message when its body says one. */
function statusError(url: string, status: number, text: string): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return new UpstreamError(status, `${pathOf(url)} answered ${status}: ${upstreamMessage(parsed) ?? text.slice(0, 200)}`, parsed);
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
