// The public API's rate limits, each this gateway's share of the configured one (decision 0010), checked in
// order of cost: an address past its failed keys is refused before its key is even compared; then the key's
// ceiling; then, once the route knows the student, the student's own limit. Each check is a Map lookup.
import type { GatewayConfig } from '@bascule/contracts';
import type { FastifyRequest } from 'fastify';
import { PublicError } from '../http/errors.ts';
import { clientAddress, RateLimiter, retryAfterSeconds } from '../rate-limit/index.ts';

/** A 429 in the error shape with its Retry-After. */
export function rateLimited(message: string, waitMs: number): PublicError {
  const error = new PublicError('rate_limited', `${message}, retry in ${retryAfterSeconds(waitMs)} s`);
  error.retryAfterS = retryAfterSeconds(waitMs);
  return error;
}

export interface PublicLimits {
  /** Sets `request.clientName` from the key, or throws a 401 (counted against the address) or a 429. */
  authenticate(request: FastifyRequest): void;
  /** Counts a request of the student (by keyed hash) for the client; throws a 429 past their limit. */
  student(clientName: string | null, studentHash: string): void;
}

export function createPublicLimits(config: GatewayConfig, checkKey: (authorization: string | undefined) => string, clientNames: readonly string[]): PublicLimits {
  const { replicas, clientAddressHeader } = config.server;
  const { rateLimitPerMinute, studentRateLimitPerMinute, failedAuthPerMinute } = config.auth;
  const failedAuth = new RateLimiter({ perMinute: failedAuthPerMinute, replicas });
  const perClient = new RateLimiter({ perMinute: rateLimitPerMinute, replicas });
  const perStudent = new Map(clientNames.map((name) => [name, new RateLimiter({ perMinute: studentRateLimitPerMinute, replicas })]));
  return {
    authenticate(request) {
      const now = Date.now();
      const address = clientAddress(request, clientAddressHeader);
      const blocked = failedAuth.exhausted(address, now);
      if (blocked > 0) throw rateLimited(`too many requests with a missing or unknown client key from this address: ${failedAuthPerMinute} a minute`, blocked);
      try {
        request.clientName = checkKey(request.headers.authorization);
      } catch (error) {
        failedAuth.take(address, now);
        throw error;
      }
      const wait = perClient.take(request.clientName, now);
      if (wait > 0) throw rateLimited(`too many requests for this client key: ${rateLimitPerMinute} a minute`, wait);
    },
    student(clientName, studentHash) {
      const limiter = clientName === null ? undefined : perStudent.get(clientName);
      const wait = limiter === undefined ? 0 : limiter.take(studentHash, Date.now());
      if (wait > 0) throw rateLimited(`too many requests for this student: ${studentRateLimitPerMinute} a minute`, wait);
    },
  };
}
