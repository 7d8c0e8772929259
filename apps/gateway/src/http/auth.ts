// Client keys: `Authorization: Bearer <key>`, compared in constant time against EVERY configured key (no
// early exit), so neither the key's length nor which key matched shows in the response time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { PublicError } from './errors.ts';

export interface ClientKey {
  name: string;
  key: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Returns a checker giving the name of the client whose key matches, or throws a 401 PublicError. */
export function createClientKeyCheck(keys: readonly ClientKey[]): (authorization: string | undefined) => string {
  if (keys.length === 0) throw new TypeError('clientKeys: expected at least one client key');
  const wanted = keys.map((k) => ({ name: k.name, digest: digest(k.key) }));
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const given = digest(match ? match[1]! : '');
    let found: string | null = null;
    for (const candidate of wanted) {
      // Every key is compared, whatever matched before.
      if (timingSafeEqual(given, candidate.digest) && match !== null && found === null) found = candidate.name;
    }
    if (found === null) {
      throw new PublicError('unauthorized', match ? 'Authorization: unknown client key' : 'Authorization: expected "Bearer <client key>"', { field: 'authorization' });
    }
    return found;
  };
}
