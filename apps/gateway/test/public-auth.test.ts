// Client keys and student ids, unit by unit.
import { describe, expect, it } from 'vitest';
import { KEY_BYTES } from '../src/http/auth.ts';
import { createClientKeyCheck, hmacStudentId, PublicError, readStudentId } from '../src/http/index.ts';

describe('client key check', () => {
  const check = createClientKeyCheck([
    { name: 'app', key: 'key-one-0123456789' },
    { name: 'tablet', key: 'key-two-9876543210' },
  ]);

  it('names the client whose key matches, for every configured key', () => {
    expect(check('Bearer key-one-0123456789')).toBe('app');
    expect(check('bearer   key-two-9876543210')).toBe('tablet');
  });

  it.each([undefined, '', 'key-one-0123456789', 'Bearer ', 'Bearer key-one', 'Bearer key-one-0123456789x', 'Basic a2V5'])('refuses %j with a 401 naming the header', (header) => {
    const error = (() => {
      try {
        check(header);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PublicError);
    expect((error as PublicError).status).toBe(401);
    expect((error as PublicError).extra.field).toBe('authorization');
  });

  it('compares the whole key, its length included: a prefix, a longer key or trailing NULs never match', () => {
    // The presented key is laid out in a zero-filled buffer; without its length in front, "k\0" would equal "k".
    for (const header of ['Bearer key-one-012345678', 'Bearer key-one-0123456789\u0000', 'Bearer key-one-0123456789\u0000\u0000', 'Bearer key-one-01234567890']) {
      expect(() => check(header), JSON.stringify(header)).toThrow(PublicError);
    }
  });

  it(`accepts keys longer than ${KEY_BYTES} bytes and keys with non-ASCII characters, each only whole`, () => {
    const long = 'L'.repeat(KEY_BYTES + 40);
    const edge = 'E'.repeat(KEY_BYTES);
    const accented = 'clé-élève-'.repeat(20); // fewer than KEY_BYTES characters, more than KEY_BYTES bytes
    const withLong = createClientKeyCheck([
      { name: 'long', key: long },
      { name: 'edge', key: edge },
      { name: 'accented', key: accented },
      { name: 'short', key: 'short-key' },
    ]);
    expect(withLong(`Bearer ${long}`)).toBe('long');
    expect(withLong(`Bearer ${edge}`)).toBe('edge');
    expect(withLong(`Bearer ${accented}`)).toBe('accented');
    expect(withLong('Bearer short-key')).toBe('short');
    for (const wrong of [long.slice(1), `${long}L`, `${edge}E`, edge.slice(1), accented.slice(1), `${accented}x`]) {
      expect(() => withLong(`Bearer ${wrong}`)).toThrow(/unknown client key/);
    }
  });

  it('keeps answering right after refusals (the buffer of the presented key is rewritten each time)', () => {
    expect(() => check('Bearer key-one-0123456789-and-more')).toThrow(PublicError);
    expect(check('Bearer key-one-0123456789')).toBe('app');
    expect(() => check('Bearer key-one-01234567')).toThrow(PublicError);
  });

  it('refuses to run without a key', () => {
    expect(() => createClientKeyCheck([])).toThrow(/clientKeys/);
  });
});

describe('student id', () => {
  it('takes the header, else the fallback (chat\'s user), and names the field when missing or malformed', () => {
    expect(readStudentId('eleve-1')).toBe('eleve-1');
    expect(readStudentId(undefined, 'user-9')).toBe('user-9');
    expect(() => readStudentId(undefined)).toThrow(/X-Student-Id: missing/);
    expect(() => readStudentId('a b')).toThrow(/X-Student-Id: expected/);
    expect(() => readStudentId('x'.repeat(129))).toThrow(/X-Student-Id/);
  });

  it('hashes with HMAC-SHA256 (RFC 4231 test case 2), shortened to 128 bits', () => {
    expect(hmacStudentId('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c7');
    expect(hmacStudentId('other key', 'what do ya want for nothing?')).not.toBe(hmacStudentId('Jefe', 'what do ya want for nothing?'));
  });
});
