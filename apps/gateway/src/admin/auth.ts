// Admin token check in constant time: both sides are hashed first, so the comparison never depends on
// the token's length or on where the first differing byte is.
import { createHash, timingSafeEqual } from 'node:crypto';

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
