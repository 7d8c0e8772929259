import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import murmurHash3 from 'murmurhash3js-revisited';
import { COMPONENTS, cohortBucket, isInProductionCohort, murmurHash3x86_32, weightToBuckets } from '../src/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

// The vectors published in docs/architecture.md. Each one is also recomputed with an independent
// implementation (murmurhash3js-revisited), so a typo here or a bug in ours cannot go unnoticed.
const HASH_VECTORS: Array<[string, number]> = [
  ['', 0],
  ['a', 1009084850],
  ['abc', 3017643002],
  ['abcd', 1139631978],
  ['student-1', 879867551],
  ['élève-42', 2508349334],
  ['Zoë', 2255564058],
  ['学生', 1619558462],
  ['🦊', 822772547],
  ['I will not buy this record, it is scratched.', 2832214938],
];

const BUCKET_VECTORS: Array<[(typeof COMPONENTS)[number], string, number, number]> = [
  ['llm', 'student-1', 4135426408, 6408],
  ['stt', 'student-1', 2481857455, 7455],
  ['llm', 'élève-42', 1682377623, 7623],
  ['stt', 'élève-42', 1812433008, 3008],
  ['tts', '学生', 1422931299, 1299],
  ['vision', '🦊', 1642690971, 971],
];

describe('murmurHash3x86_32', () => {
  it.each(HASH_VECTORS)('hashes %j to %i, as the independent implementation does', (text, expected) => {
    expect(murmurHash3x86_32(utf8(text))).toBe(expected);
    expect(murmurHash3.x86.hash32(utf8(text))).toBe(expected);
  });

  it('agrees with the independent implementation on any bytes, any seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), (bytes, seed) => {
        expect(murmurHash3x86_32(bytes, seed)).toBe(murmurHash3.x86.hash32(bytes, seed));
      }),
      { numRuns: 2000 },
    );
  }, 30_000);

  it('agrees on the UTF-8 bytes of any Unicode string (accents, CJK, emoji)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        expect(murmurHash3x86_32(utf8(text))).toBe(murmurHash3.x86.hash32(utf8(text)));
      }),
      { numRuns: 1000 },
    );
  });

  it('returns an unsigned 32-bit integer', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const h = murmurHash3x86_32(bytes);
        return Number.isInteger(h) && h >= 0 && h <= 0xffffffff;
      }),
    );
  });
});

describe('cohortBucket', () => {
  it.each(BUCKET_VECTORS)('%s:%s hashes to %i, bucket %i', (component, studentId, hash, bucket) => {
    expect(murmurHash3.x86.hash32(utf8(`${component}:${studentId}`))).toBe(hash);
    expect(cohortBucket(component, studentId)).toBe(bucket);
    expect(bucket).toBe(hash % 10_000);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // 'é' is one UTF-16 unit (0xe9) but two UTF-8 bytes (0xc3 0xa9).
    expect(cohortBucket('llm', 'é')).toBe(murmurHash3.x86.hash32(Uint8Array.from([...utf8('llm:'), 0xc3, 0xa9])) % 10_000);
    expect(cohortBucket('llm', 'é')).not.toBe(murmurHash3.x86.hash32(Uint8Array.from([...utf8('llm:'), 0xe9])) % 10_000);
  });

  it('rejects an empty student id, naming the field', () => {
    expect(() => cohortBucket('llm', '')).toThrow(/studentId/);
  });
});

describe('isInProductionCohort', () => {
  const component = fc.constantFrom(...COMPONENTS);
  const studentId = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 });
  const weight = fc.integer({ min: 0, max: 10_000 }).map((b) => b / 100);

  it('raising a weight never removes a student from production', () => {
    fc.assert(
      fc.property(component, studentId, weight, weight, (c, id, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        if (isInProductionCohort(c, id, low)) expect(isInProductionCohort(c, id, high)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  }, 30_000);

  it('is nobody at 0 % and everybody at 100 %', () => {
    fc.assert(
      fc.property(component, studentId, (c, id) => !isInProductionCohort(c, id, 0) && isInProductionCohort(c, id, 100)),
    );
  });

  it('has a resolution of 0.01 %', () => {
    expect(weightToBuckets(0.01)).toBe(1);
    expect(weightToBuckets(12.34)).toBe(1234);
    const id = 'student-1'; // llm bucket 6408 (see the vectors)
    expect(isInProductionCohort('llm', id, 64.08)).toBe(false);
    expect(isInProductionCohort('llm', id, 64.09)).toBe(true);
  });

  it('rejects a weight outside 0..100, naming the field', () => {
    expect(() => isInProductionCohort('llm', 'x', 100.5)).toThrow(/weight: expected a number between 0 and 100/);
    expect(() => isInProductionCohort('llm', 'x', -1)).toThrow(/weight/);
    expect(() => isInProductionCohort('llm', 'x', Number.NaN)).toThrow(/weight/);
  });

  // A class of 10 000 random ids (ASCII, accents, CJK, emoji), drawn from a seed fast-check chooses
  // (fixed seed: reproducible). Generating them from a seed keeps 10 000-id runs fast.
  const classOf10k = fc.integer().map((seed) => randomClass(seed, 10_000));

  it('gives a production share within 1 point of the weight at 10 000 students', () => {
    fc.assert(
      fc.property(classOf10k, component, fc.integer({ min: 1, max: 99 }), (ids, c, w) => {
        const share = (ids.filter((id) => isInProductionCohort(c, id, w)).length / ids.length) * 100;
        expect(Math.abs(share - w)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20, seed: 20260105 },
    );
  }, 60_000);

  it('keeps the cohorts of two components independent', () => {
    fc.assert(
      fc.property(classOf10k, fc.constantFrom(...COMPONENTS), fc.constantFrom(...COMPONENTS), fc.integer({ min: 10, max: 90 }), (ids, a, b, w) => {
        fc.pre(a !== b);
        const inA = ids.filter((id) => isInProductionCohort(a, id, w));
        const both = inA.filter((id) => isInProductionCohort(b, id, w)).length;
        // Independent: P(A and B) = P(A) P(B) ≈ w², within 1 point; and B's share inside A's cohort ≈ w.
        expect(Math.abs((both / ids.length) * 100 - (w * w) / 100)).toBeLessThanOrEqual(1);
        expect(Math.abs((both / inA.length) * 100 - w)).toBeLessThanOrEqual(3);
      }),
      { numRuns: 20, seed: 20260105 },
    );
  }, 60_000);
});

const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz0123456789-_', 'éèêëàâçîïôûùüÿœæ', '学生読書子供', '🦊🐻🌈📚'];

function randomClass(seed: number, size: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ids = new Set<string>();
  while (ids.size < size) {
    const length = 1 + Math.floor(next() * 16);
    let id = '';
    for (let i = 0; i < length; i++) {
      const alphabet = [...ALPHABETS[next() < 0.7 ? 0 : 1 + Math.floor(next() * 3)]!];
      id += alphabet[Math.floor(next() * alphabet.length)];
    }
    ids.add(id);
  }
  return [...ids];
}
