// CORS for the public API: the reading app calls the gateway from the browser, on another origin. Its
// requests carry `Authorization` and `X-Student-Id` with a JSON or multipart body, so the browser first sends
// a preflight (OPTIONS); the answers must let the page read the X-Bascule-* headers (route, latency) too.
// Origins come from the config (`server.cors.allowedOrigins`): none by default, `*` in the local config.
// A small hook rather than @fastify/cors, which is not a dependency of the workspace.
import { BASCULE_HEADERS, errorBody } from '@bascule/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface CorsOptions {
  /** Exact origins (`https://app.example.fr`), or `*` for any (no credentials are ever allowed). */
  allowedOrigins: readonly string[];
  /** Paths under this prefix get CORS answers (default: the public API). */
  prefix?: string;
  /** How long a browser may cache a preflight (seconds). */
  maxAgeSeconds?: number;
}

/** What the reading app sends besides the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', BASCULE_HEADERS.studentId];
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'OPTIONS'];
/** What a page may read of an answer: the routing headers of the design, and when to retry. */
export const CORS_EXPOSED_HEADERS = [
  BASCULE_HEADERS.component,
  BASCULE_HEADERS.provider,
  BASCULE_HEADERS.route,
  BASCULE_HEADERS.latencyMs,
  BASCULE_HEADERS.overheadMs,
  'retry-after',
];

/** The `Access-Control-Allow-Origin` value for `origin`, or null when it is not allowed. */
export function allowedOrigin(allowed: readonly string[], origin: string | undefined): string | null {
  if (!origin) return null;
  if (allowed.includes('*')) return '*';
  return allowed.includes(origin) ? origin : null;
}

export function registerCors(app: FastifyInstance, options: CorsOptions): void {
  const prefix = options.prefix ?? '/v1/';
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const exposed = CORS_EXPOSED_HEADERS.join(', ');
  const applies = (request: FastifyRequest) => request.url.startsWith(prefix);
  const setAllowOrigin = (reply: FastifyReply, value: string) => {
    // On the raw response: a streamed answer (chat's server-sent events) hijacks the reply and writes its
    // head itself; Node merges headers set here into any writeHead, Fastify's included.
    reply.raw.setHeader('access-control-allow-origin', value);
    // A specific origin in the answer makes it vary by Origin (shared caches, Cloudflare).
    if (value !== '*') reply.raw.setHeader('vary', 'Origin');
  };

  // Root-level, so it runs before the public API's key check: a preflight never carries the key. Callback
  // style: an async hook makes a promise on every request, CORS or not.
  app.addHook('onRequest', (request, reply, done) => {
    if (!applies(request)) return done();
    const value = allowedOrigin(options.allowedOrigins, request.headers.origin);
    const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) {
      // Every answer to an allowed origin, errors included (the page reads their JSON too).
      if (value !== null) {
        setAllowOrigin(reply, value);
        reply.raw.setHeader('access-control-expose-headers', exposed);
      }
      return done();
    }
    if (value === null) {
      reply.code(403).send(errorBody('forbidden', `origin ${JSON.stringify(request.headers.origin ?? '')} is not allowed to call this API (server.cors.allowedOrigins)`));
      return;
    }
    setAllowOrigin(reply, value);
    reply.code(204).header('access-control-allow-methods', CORS_ALLOWED_METHODS.join(', ')).header('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', ')).header('access-control-max-age', maxAge).send();
  });
}
