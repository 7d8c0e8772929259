// Cloudflare Access in front of the admin API and the dashboard: Access adds a JWT (`Cf-Access-Jwt-Assertion`,
// RS256) to every request it let through; the gateway verifies it against the team's certificates, its
// audience (the Access application's AUD tag) and its issuer (the team domain), so a request that reached
// the origin some other way is refused even with the admin token. jose fetches and caches the certificates
// (refetched on an unknown key id, at most every 30 s), each fetch with a timeout.
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export interface AccessSettings {
  teamDomain: string;
  audience: string;
}

export interface AccessOptions {
  /** Where the certificates are (tests: a local JWKS server); default https://<teamDomain>/cdn-cgi/access/certs. */
  certsUrl?: URL;
  /** Timeout of one certificates fetch (default 3 s). */
  timeoutMs?: number;
}

/** Why a request was refused: `missing`/`invalid` are the caller's (401/403), `unavailable` is ours (503). */
export class AccessDenied extends Error {
  constructor(
    readonly kind: 'missing' | 'invalid' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'AccessDenied';
  }
}

export const ACCESS_HEADER = 'cf-access-jwt-assertion';

/** Returns a verifier giving the person behind a valid assertion: their e-mail, or the service token's name. */
export function createAccessVerifier(settings: AccessSettings, options: AccessOptions = {}): (assertion: string | string[] | undefined) => Promise<string> {
  const certs = createRemoteJWKSet(options.certsUrl ?? new URL(`https://${settings.teamDomain}/cdn-cgi/access/certs`), { timeoutDuration: options.timeoutMs ?? 3_000 });
  const issuer = `https://${settings.teamDomain}`;
  return async (assertion) => {
    const token = Array.isArray(assertion) ? assertion[0] : assertion;
    if (!token) throw new AccessDenied('missing', `${ACCESS_HEADER}: missing (this hostname is reached through Cloudflare Access only)`);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, certs, { issuer, audience: settings.audience, algorithms: ['RS256'] }));
    } catch (error) {
      throw denial(error);
    }
    // A person signs in with an e-mail; a service token has its client id as `common_name` instead.
    if (typeof payload.email === 'string' && payload.email !== '') return payload.email;
    if (typeof payload.common_name === 'string' && payload.common_name !== '') return `service-token:${payload.common_name}`;
    throw new AccessDenied('invalid', `${ACCESS_HEADER}: names no person (no email, no common_name)`);
  };
}

function denial(error: unknown): AccessDenied {
  if (error instanceof errors.JWTExpired) return new AccessDenied('invalid', `${ACCESS_HEADER}: expired`);
  if (error instanceof errors.JWTClaimValidationFailed) return new AccessDenied('invalid', `${ACCESS_HEADER}: wrong "${error.claim}" (${error.reason})`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AccessDenied('invalid', `${ACCESS_HEADER}: signature does not verify`);
  if (error instanceof errors.JWKSNoMatchingKey) return new AccessDenied('invalid', `${ACCESS_HEADER}: signed by a key the team does not publish`);
  // A timeout, a network error or a certificates endpoint answering something else than a key set: ours, not the caller's.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC') {
    return new AccessDenied('unavailable', "could not read Cloudflare Access's certificates; try again shortly");
  }
  return new AccessDenied('invalid', `${ACCESS_HEADER}: not a valid Access token (${error.code})`);
}
