// Who may reach the admin API and the dashboard, checked in this order, cheapest first:
// 1. the host name (when `admin.hostnames` is set: 404 on any other, e.g. the public API's hostname);
// 2. the admin limit per client address (429), and an address past its failed admin tokens (429);
// 3. Cloudflare Access's JWT (when `admin.access` is set: 401 without it, 403 when it does not verify);
// 4. the admin token (401), kept as well: defence in depth.
// The admin token is compared in constant time: both sides are hashed first, so the comparison never depends
// on the token's length or on where the first differing byte is.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayConfig } from '@bascule/contracts';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { clientAddress, RateLimiter, retryAfterSeconds } from '../rate-limit/index.ts';
import { ACCESS_HEADER, AccessDenied, createAccessVerifier, type AccessOptions } from './access.ts';
import { sendError } from './errors.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function createTokenCheck(expected: string): (authorization: string | undefined) => boolean {
  const want = digest(expected);
  return (authorization) => {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    const given = digest(match ? match[1]!.trim() : '');
    // timingSafeEqual needs equal lengths: digests always are. A missing token still goes through it.
    return timingSafeEqual(given, want) && match !== null;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who acts through the admin API: the e-mail from the verified Access JWT; null without Access. */
    adminActor: string | null;
  }
}

/** The paths behind the admin gate: the admin API and the dashboard. */
export function isAdminPath(url: string): boolean {
  return url.startsWith('/admin/') || url === '/admin' || url.startsWith('/dashboard');
}

export interface AdminGateOptions {
  config: Pick<GatewayConfig, 'admin' | 'server' | 'auth'>;
  adminToken: string;
  access?: AccessOptions;
}

export interface AdminGate {
  /** Root-level onRequest hook: host name, admin limit, Access (the dashboard's files and the admin API). */
  edge: onRequestHookHandler;
  /** The admin API's onRequest hook: failed-token limit and the admin token. */
  token: onRequestHookHandler;
}

function tooMany(reply: FastifyReply, message: string, waitMs: number): FastifyReply {
  reply.header('retry-after', String(retryAfterSeconds(waitMs)));
  return sendError(reply, 'rate_limited', `${message}, retry in ${retryAfterSeconds(waitMs)} s`);
}

export function createAdminGate(options: AdminGateOptions): AdminGate {
  const { admin, server, auth } = options.config;
  const hostnames = admin.hostnames ? new Set(admin.hostnames) : null;
  const verify = admin.access ? createAccessVerifier(admin.access, options.access) : null;
  const perAddress = new RateLimiter({ perMinute: admin.rateLimitPerMinute, replicas: server.replicas });
  const failedTokens = new RateLimiter({ perMinute: auth.failedAuthPerMinute, replicas: server.replicas });
  const tokenOk = createTokenCheck(options.adminToken);
  const address = (request: FastifyRequest) => clientAddress(request, server.clientAddressHeader);

  const edge: onRequestHookHandler = (request, reply, done) => {
    if (!isAdminPath(request.url)) return done();
    if (hostnames !== null && !hostnames.has(request.hostname.toLowerCase())) {
      sendError(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]} on this host name`);
      return;
    }
    const wait = perAddress.take(address(request), Date.now());
    if (wait > 0) {
      tooMany(reply, `too many admin requests from this address: ${admin.rateLimitPerMinute} a minute`, wait);
      return;
    }
    if (verify === null) return done();
    verify(request.headers[ACCESS_HEADER]).then(
      (actor) => {
        request.adminActor = actor;
        done();
      },
      (error: unknown) => {
        const denied = error instanceof AccessDenied ? error : new AccessDenied('unavailable', 'could not verify the Access token');
        if (denied.kind === 'unavailable') request.log.warn({ err: error }, 'Cloudflare Access certificates unavailable');
        sendError(reply, denied.kind === 'missing' ? 'unauthorized' : denied.kind === 'invalid' ? 'forbidden' : 'unavailable', denied.message, ACCESS_HEADER);
      },
    );
  };

  const token: onRequestHookHandler = (request, reply, done) => {
    const now = Date.now();
    const from = address(request);
    const blocked = failedTokens.exhausted(from, now);
    if (blocked > 0) {
      tooMany(reply, `too many requests with a missing or wrong admin token from this address: ${auth.failedAuthPerMinute} a minute`, blocked);
      return;
    }
    if (!tokenOk(request.headers.authorization)) {
      failedTokens.take(from, now);
      reply.header('www-authenticate', 'Bearer realm="bascule-admin"');
      sendError(reply, 'unauthorized', 'expected Authorization: Bearer <admin token>');
      return;
    }
    done();
  };

  return { edge, token };
}
