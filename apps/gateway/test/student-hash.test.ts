// The cached student hasher gives the same keyed hash as hmacStudentId, and once full forgets the least
// recently used id first (observed by counting the HMACs it computes).
import { describe, expect, it } from 'vitest';
import { createStudentHasher, hmacStudentId } from '../src/http/student.ts';

describe('createStudentHasher', () => {
  it('gives hmacStudentId of the id under its key, cached or not', () => {
    const hash = createStudentHasher('Jefe', { max: 2 });
    const id = 'what do ya want for nothing?';
    expect(hash(id)).toBe('5bdcc146bf60754e6a042426089575c7');
    expect(hash(id)).toBe(hmacStudentId('Jefe', id));
    for (const other of ['a', 'b', 'c', 'a', id]) expect(hash(other)).toBe(hmacStudentId('Jefe', other));
  });

  it('computes each id once while it stays among the most recently used; a hit refreshes, the oldest goes', () => {
    const computed: string[] = [];
    const hash = createStudentHasher('k', {
      max: 2,
      hmac: (key, id) => {
        computed.push(id);
        return hmacStudentId(key, id);
      },
    });
    for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) hash(id);
    // a, b computed; a cached (and refreshed, so b is the oldest); c evicts b; a cached; b again computed.
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });

  it('refuses a size below 1', () => {
    expect(() => createStudentHasher('k', { max: 0 })).toThrow(/max/);
  });
});
