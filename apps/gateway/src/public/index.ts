// The public API under /v1: client-key auth, rate limits (per address after failed keys, per client key,
// per student), media-type and body-size checks, the error shape for every error (Fastify's own included),
// and the routes of each component.
import multipart from '@fastify/multipart';
import { costModelFromConfig, type GatewayConfig } from '@bascule/contracts';
import type { Clock, ProviderId } from '@bascule/routing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createAdapters, type Adapter } from '../adapters/index.ts';
import { createClientKeyCheck, type ClientKey } from '../http/auth.ts';
import { PublicError, publicErrorHandler, sendPublicError } from '../http/errors.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import type { MigrationRuntime } from '../migration/runtime.ts';
import { Executor, standbyCandidates } from '../proxy/index.ts';
import type { ShadowRunner } from '../shadow/index.ts';
import { registerSpeech, registerTranscription } from './audio.ts';
import { registerChat } from './chat.ts';
import { startTrace, type RouteContext } from './context.ts';
import { registerDomain } from './domain.ts';
import { createPublicLimits } from './limits.ts';

export interface PublicApiDeps {
  config: GatewayConfig;
  runtime: MigrationRuntime;
  metrics: GatewayMetrics | null;
  hashStudentId(id: string): string;
  /** Client keys; every one is accepted. */
  clientKeys: string[];
  /** The same keys with their holders' names (rate limits and logs use the name, never the key). */
  clientKeyNames?: ClientKey[];
  /** Provider API keys from the environment. */
  providerApiKeys?: Partial<Record<ProviderId, string>>;
  /** Injected adapters (tests); default: one per configured provider. */
  adapters?: ReadonlyMap<ProviderId, Adapter>;
  clock?: Clock;
  /** Attempts per request at most (default 2). */
  maxAttempts?: number;
  /** The shadow comparison of MVP-served requests; none when absent. */
  shadow?: ShadowRunner;
  [extra: string]: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated client's name (from its key); null until the key is checked. */
    clientName: string | null;
  }
}

/** Oversized uploads are refused from their Content-Length, before a byte of them is read. */
function refuseOversizedUpload(request: FastifyRequest, uploadLimit: number): void {
  const length = Number(request.headers['content-length'] ?? 0);
  if ((request.headers['content-type'] ?? '').startsWith('multipart/') && length > uploadLimit + 64 * 1024) {
    throw new PublicError('payload_too_large', `body: ${length} bytes, more than this endpoint accepts (${uploadLimit} bytes)`, { field: 'body' });
  }
}

export async function registerPublicApi(app: FastifyInstance, deps: PublicApiDeps): Promise<void> {
  const keys = deps.clientKeyNames ?? deps.clientKeys.map((key, i) => ({ name: `client-${i + 1}`, key }));
  const checkKey = createClientKeyCheck(keys);
  const executor = new Executor({
    runtime: deps.runtime,
    adapters: deps.adapters ?? createAdapters(deps.config, deps.providerApiKeys ?? {}),
    costModel: costModelFromConfig(deps.config),
    metrics: deps.metrics,
    standby: standbyCandidates(deps.config),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.maxAttempts !== undefined ? { maxAttempts: deps.maxAttempts } : {}),
  });
  const noteStudent = deps.runtime.noteStudent?.bind(deps.runtime) ?? (() => {});
  const limits = createPublicLimits(deps.config, checkKey, keys.map((k) => k.name));
  const ctx: RouteContext = { config: deps.config, executor, metrics: deps.metrics, hashStudentId: deps.hashStudentId, noteStudent, limitStudent: limits.student, shadow: deps.shadow ?? null };
  const { audioBytes, imageBytes } = deps.config.server.bodyLimits;
  const uploadLimit = Math.max(audioBytes, imageBytes);

  await app.register(
    async (api) => {
      api.decorateRequest('trace', null);
      api.decorateRequest('clientName', null);
      api.setErrorHandler(publicErrorHandler);
      api.setNotFoundHandler((request, reply) => sendPublicError(reply, new PublicError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));
      // One callback-style hook (no promise per request): trace, client key and its limits, upload size.
      api.addHook('onRequest', (request, _reply, done) => {
        startTrace(request);
        try {
          limits.authenticate(request);
          refuseOversizedUpload(request, uploadLimit);
          done();
        } catch (error) {
          done(error as Error);
        }
      });
      api.addHook('onResponse', (request, reply, done) => {
        const trace = request.trace;
        if (trace?.component) {
          deps.metrics?.requests.inc({ component: trace.component, route: trace.route ?? 'none', status: String(reply.statusCode) });
          if (trace.route) deps.metrics?.overhead.observe({ component: trace.component }, Math.max(0, performance.now() - trace.startedAt - trace.upstreamMs) / 1000);
        }
        done();
      });
      registerChat(api, ctx);
      registerSpeech(api, ctx);
      // The multipart parser only where uploads are taken: the plugin adds an async onResponse hook to every
      // route of its scope, which the JSON routes have no use for.
      await api.register(async (uploads) => {
        await uploads.register(multipart, { limits: { fileSize: uploadLimit, files: 2, fields: 20 } });
        registerTranscription(uploads, ctx);
        registerDomain(uploads, ctx);
      });
    },
    { prefix: '/v1' },
  );
}
