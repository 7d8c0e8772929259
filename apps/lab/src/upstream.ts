// One simulated upstream: a Fastify app with the provider's routes, served by its own HTTP server on its own
// port so that faults are real at the socket level: `down` closes the listener (connection refused) and
// reopens it on the same port, `reset` destroys the socket, `slow` and `error` act before the handler.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { HEALTHY, injectedStatus, shouldFail, type Fault } from './fault.ts';
import { degradeRate, NO_DEGRADATION, type Degradation } from './degrade.ts';
import { sampleLatencyMs, LATENCY_PROFILES } from './latency.ts';
import type { Rng } from './rng.ts';
import type { UpstreamName } from './names.ts';
import { SERVICE_BUSY_HEADER } from '@bascule/contracts';
import { DEFAULT_BUSY_MS } from './service-time.ts';

/** The largest upload the lab takes (OpenAI's transcription limit is 25 MB). */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;

export interface UpstreamContext {
  name: UpstreamName;
  seed: number;
  /** Shared seeded source for latencies, faults and made-up answers. */
  rng: Rng;
  /** Multiplies the simulated processing time (0: answer at once). */
  latencyScale: number;
  startedAt: number;
  /** Waits the simulated processing time of one request (already scaled). */
  think(): Promise<void>;
  /**
   * Self-hosted stand-ins: the compute time their answers report (ms), which the control API sets; undefined
   * for a paid API's. Reported in `X-Bascule-Busy-Ms`, or in the body by a stand-in that says it its own way.
   */
  service: { busyMs: number | undefined };
  /** The answers to make wrong now (a `degrade` fault; rate 0 otherwise), see degrade.ts. */
  degradation(): Degradation;
}

export interface UpstreamDefinition {
  name: UpstreamName;
  /** The body this provider answers an error with (each provider has its own shape). */
  errorBody(status: number, message: string, field?: string): unknown;
  register(app: FastifyInstance, ctx: UpstreamContext): void;
  /** Its answers report the service time in their own body (llama.cpp's `timings`), not in the busy header. */
  busyInBody?: boolean;
}

export interface UpstreamState {
  name: UpstreamName;
  baseUrl: string;
  port: number;
  listening: boolean;
  fault: Fault;
  requests: number;
  injectedErrors: number;
  resets: number;
  /** Self-hosted stand-ins: the compute time each answer reports in `X-Bascule-Busy-Ms` (ms). */
  busyMs?: number;
}

export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class Upstream {
  readonly name: UpstreamName;
  private readonly app: FastifyInstance;
  private server!: Server;
  private readonly host: string;
  private port = 0;
  private listening = false;
  private fault: Fault = HEALTHY;
  private readonly counters = { requests: 0, injectedErrors: 0, resets: 0 };
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly definition: UpstreamDefinition, private readonly ctx: UpstreamContext, host: string) {
    this.name = definition.name;
    this.host = host;
    this.app = Fastify({
      logger: false,
      bodyLimit: MAX_BODY_BYTES,
      serverFactory: (handler) => {
        this.server = createServer(handler);
        return this.server;
      },
    });
    void this.app.register(multipart, { limits: { fileSize: MAX_BODY_BYTES, files: 2, fields: 20 } });
    this.app.addHook('onRequest', (request, reply) => this.applyFault(request, reply));
    // A successful answer of a model we run says how long the model computed, as the real images do
    // (llama.cpp's server says it in its body instead: the stand-in does that itself).
    if (!definition.busyInBody) {
      this.app.addHook('onSend', async (_request, reply, payload) => {
        const busyMs = ctx.service.busyMs;
        if (busyMs !== undefined && reply.statusCode < 300) void reply.header(SERVICE_BUSY_HEADER, String(busyMs));
        return payload;
      });
    }
    this.app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
      void reply.code(status).send(definition.errorBody(status, error.message));
    });
    this.app.setNotFoundHandler((request, reply) => {
      void reply.code(404).send(definition.errorBody(404, `no route ${request.method} ${request.url.split('?')[0]} on ${this.name}`));
    });
    // The handlers read the fault as it is when they answer (a degrade fault changes what they say).
    definition.register(this.app, { ...ctx, degradation: () => ({ rate: degradeRate(this.fault), rng: ctx.rng }) });
  }

  get baseUrl(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /** First start: takes a free port (or `port`), kept for the life of the lab. */
  async start(port = 0): Promise<void> {
    await this.app.ready();
    await this.listen(port);
  }

  state(): UpstreamState {
    return { name: this.name, baseUrl: this.baseUrl, port: this.port, listening: this.listening, fault: this.fault, ...this.counters, ...(this.ctx.service.busyMs === undefined ? {} : { busyMs: this.ctx.service.busyMs }) };
  }

  /** Sets the compute time the answers report; false for a paid API's stand-in (it reports none). */
  setService(busyMs: number): boolean {
    if (this.ctx.service.busyMs === undefined) return false;
    this.ctx.service.busyMs = busyMs;
    return true;
  }

  /** Applies a fault; `down` closes the listener, anything else reopens it on the same port. */
  setFault(fault: Fault): Promise<UpstreamState> {
    this.transition = this.transition.then(async () => {
      this.fault = fault;
      if (fault.mode === 'down' && this.listening) await this.unlisten();
      if (fault.mode !== 'down' && !this.listening) await this.listen(this.port);
    });
    return this.transition.then(() => this.state());
  }

  async close(): Promise<void> {
    await this.transition;
    if (this.listening) await this.unlisten();
    await this.app.close();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(new Error(`${this.name}: cannot listen on ${this.host}:${port}: ${error.message}`));
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  private unlisten(): Promise<void> {
    return new Promise((resolve) => {
      this.listening = false;
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async applyFault(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    this.counters.requests += 1;
    const fault = this.fault;
    if (fault.mode === 'reset') {
      this.counters.resets += 1;
      reply.hijack();
      const socket = request.raw.socket;
      // An RST, not a FIN: the client sees ECONNRESET, as when a process dies mid-request.
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return reply;
    }
    if (fault.mode === 'slow') await sleep(fault.latencyMs ?? 0);
    if (shouldFail(fault, this.ctx.rng())) {
      this.counters.injectedErrors += 1;
      const status = injectedStatus(this.ctx.rng());
      const message = status === 503 ? `${this.name} is overloaded, retry later` : `${this.name} failed to process the request`;
      return reply.code(status).send(this.definition.errorBody(status, message));
    }
    return undefined;
  }
}

/** Builds the shared context of one upstream. */
export function upstreamContext(name: UpstreamName, seed: number, rng: Rng, latencyScale: number): UpstreamContext {
  const profile = LATENCY_PROFILES[name];
  return { name, seed, rng, latencyScale, startedAt: Date.now(), think: () => sleep(sampleLatencyMs(rng, profile, latencyScale)), service: { busyMs: DEFAULT_BUSY_MS[name] }, degradation: () => NO_DEGRADATION };
}
