import { describe, expect, it } from 'vitest';
import { formatEuro, formatMs, formatNumber, formatPercent, formatTime } from './format.ts';

// Intl uses narrow no-break spaces in French; compare with plain spaces.
const plain = (s: string): string => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatters', () => {
  it('formats latencies in ms, and long ones in seconds', () => {
    expect(formatMs(412.4, 'en')).toBe('412 ms');
    expect(plain(formatMs(1234, 'fr'))).toBe('1 234 ms');
    expect(formatMs(12_500, 'en')).toBe('12.5 s');
    expect(formatMs(12_500, 'fr')).toBe('12,5 s');
    expect(formatMs(null, 'en')).toBe('—');
  });

  it('formats ratios as percentages in each language', () => {
    expect(formatPercent(0.051, 'en')).toBe('5.1%');
    expect(plain(formatPercent(0.051, 'fr'))).toBe('5,1 %');
    expect(formatPercent(0.4286, 'en', 0)).toBe('43%');
    expect(formatPercent(null, 'fr')).toBe('—');
  });

  it('formats euros', () => {
    expect(formatEuro(3600, 'en')).toBe('€3,600');
    expect(plain(formatEuro(3600, 'fr'))).toBe('3 600 €');
    expect(plain(formatEuro(0.00123, 'fr', 5))).toBe('0,00123 €');
  });

  it('formats counts and times, tolerating bad dates', () => {
    expect(formatNumber(1234.567, 'en', 1)).toBe('1,234.6');
    expect(formatTime('not a date', 'en')).toBe('not a date');
    expect(formatTime('2026-11-24T10:00:00Z', 'en')).toMatch(/24\/11\/2026/);
  });
});
