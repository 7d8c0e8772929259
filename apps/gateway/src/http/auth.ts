// Client keys: `Authorization: Bearer <key>`, compared in constant time against EVERY configured key (no
// early exit), so neither the key's length nor which key matched shows in the response time.
//
// Why not a SHA-256 of the presented key on every request (the old way, ~1.6 % of the gateway's CPU), and
// why not a cache of the keys already accepted: a Map keyed by the presented string compares it, inside V8,
// with any cached key that lands in the same hash bucket (half of them with one or two entries) — lengths
// first, then characters up to the first difference. That is an early-exit comparison of an attacker's
// string with a secret: a timing oracle, however small. Instead, a presented key of up to KEY_BYTES bytes
// is written, with its byte length in front, into a fixed-size buffer and compared with every configured
// key laid out the same way by `timingSafeEqual`: the time depends on KEY_BYTES and the number of keys, both
// fixed, never on the secret. It costs about a third of a SHA-256. Longer keys (presented or configured)
// keep the digest comparison; which of the two paths runs depends only on the presented key's length
// against the public constant.
import { createHash, timingSafeEqual } from 'node:crypto';
import { PublicError } from './errors.ts';

export interface ClientKey {
  name: string;
  key: string;
}

/** Keys up to this many UTF-8 bytes are compared in a fixed-size buffer; longer ones by their SHA-256. */
export const KEY_BYTES = 256;
/** Two bytes of length, then the key, then zeros. */
const SLOT_BYTES = 2 + KEY_BYTES;
/** A length no written key can have: the slot of a configured key too long for the buffer never matches. */
const NO_KEY = 0xffff;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Writes `key` into `slot` (zeros after it, its byte length in front); the key must fit. */
function fill(slot: Buffer, key: string): Buffer {
  slot.fill(0);
  slot.writeUInt16BE(slot.write(key, 2, 'utf8'), 0);
  return slot;
}

function slotOf(key: string): Buffer {
  const slot = Buffer.alloc(SLOT_BYTES);
  if (Buffer.byteLength(key, 'utf8') <= KEY_BYTES) return fill(slot, key);
  slot.writeUInt16BE(NO_KEY, 0);
  return slot;
}

/** Returns a checker giving the name of the client whose key matches, or throws a 401 PublicError. */
export function createClientKeyCheck(keys: readonly ClientKey[]): (authorization: string | undefined) => string {
  if (keys.length === 0) throw new TypeError('clientKeys: expected at least one client key');
  const wanted = keys.map((k) => ({ name: k.name, slot: slotOf(k.key), digest: digest(k.key) }));
  // One buffer per checker: the check is synchronous, so no two requests share it at once.
  const presented = Buffer.alloc(SLOT_BYTES);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const key = match ? match[1]! : '';
    const short = Buffer.byteLength(key, 'utf8') <= KEY_BYTES;
    const given = short ? fill(presented, key) : digest(key);
    let found: string | null = null;
    for (const candidate of wanted) {
      // Every key is compared, whatever matched before.
      if (timingSafeEqual(given, short ? candidate.slot : candidate.digest) && match !== null && found === null) found = candidate.name;
    }
    if (found === null) {
      throw new PublicError('unauthorized', match ? 'Authorization: unknown client key' : 'Authorization: expected "Bearer <client key>"', { field: 'authorization' });
    }
    return found;
  };
}
