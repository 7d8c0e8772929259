// `GET /admin/v1/stream`: server-sent events of state, metrics, alerts and audit events. On connect: one
// `state` per component; then every change as it happens, `state` + `metrics` snapshots every few seconds, and a comment line
// as heartbeat so proxies keep the connection open. Everything is released when the client goes away.
// Streams are capped per caller and in all (each holds a socket, timers and buffers: about 200 kB): past a
// cap the request gets a 429 in the error shape before anything is sent.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Migrations, RuntimeChange } from '../migration/index.ts';
import { alertView } from '../migration/index.ts';
import { sendError } from './errors.ts';

export interface StreamOptions {
  /** Metrics snapshot period (default 5 s). */
  metricsIntervalMs: number;
  /** Heartbeat comment period (default 15 s). */
  heartbeatMs: number;
  /** Open streams at most per caller (the Access e-mail, else everyone holding the admin token). */
  perCaller: number;
  /** Open streams at most in all. */
  total: number;
}

/** Who a stream counts against: the person from Cloudflare Access, else the admin token's holders together. */
const callerOf = (request: FastifyRequest): string => request.adminActor ?? 'admin-token';

export class AdminStreams {
  private readonly open = new Set<() => void>();
  private readonly perCaller = new Map<string, number>();

  constructor(
    private readonly runtime: Migrations,
    private readonly options: StreamOptions,
  ) {}

  get size(): number {
    return this.open.size;
  }

  handle(request: FastifyRequest, reply: FastifyReply): void {
    const caller = callerOf(request);
    const mine = this.perCaller.get(caller) ?? 0;
    if (this.open.size >= this.options.total) {
      sendError(reply, 'rate_limited', `too many open event streams on this gateway: ${this.options.total} at most; close one (another dashboard tab) and retry`);
      return;
    }
    if (mine >= this.options.perCaller) {
      sendError(reply, 'rate_limited', `too many open event streams for this caller: ${this.options.perCaller} at most; close one (another dashboard tab) and retry`);
      return;
    }
    this.perCaller.set(caller, mine + 1);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (type: string, data: unknown) => {
      if (!raw.writableEnded) raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // Views read the store: sent in order, one after the other; one the store cannot answer is skipped
    // (the next snapshot catches up).
    let queue: Promise<void> = Promise.resolve();
    const sendLater = (type: string, view: () => unknown) => {
      queue = queue.then(async () => send(type, await view())).catch(() => undefined);
    };
    const components = this.runtime.components();
    const sendStates = () => components.forEach((c) => sendLater('state', () => this.runtime.summary(c)));
    const sendMetrics = () => components.forEach((c) => sendLater('metrics', () => this.runtime.metricsPayload(c)));
    raw.write(`retry: 3000\n\n`);
    sendStates();
    sendMetrics();
    const unsubscribe = this.runtime.feed.subscribe((change: RuntimeChange) => {
      if (change.type === 'state') sendLater('state', () => this.runtime.summary(change.component));
      else if (change.type === 'event') sendLater('event', () => this.runtime.eventView(change.event));
      else sendLater('alert', () => ({ component: change.component, state: change.state, alert: alertView(change.alert) }));
    });
    // Snapshots every few seconds too: a client that missed a change (or joined a proxy late) catches up.
    const metricsTimer = setInterval(() => {
      sendStates();
      sendMetrics();
    }, this.options.metricsIntervalMs);
    const heartbeat = setInterval(() => raw.writableEnded || raw.write(`: heartbeat ${new Date().toISOString()}\n\n`), this.options.heartbeatMs);
    const close = () => {
      if (!this.open.has(close)) return;
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
      clearInterval(metricsTimer);
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    this.open.add(close);
    request.raw.on('close', close);
    raw.on('error', close);
  }

  /** Ends every stream (graceful shutdown: an open stream would keep the server from closing). */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}
