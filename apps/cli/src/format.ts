// How figures read in the terminal: percentages, milliseconds, euros, verdicts with their colour.
import type { Output } from './output.ts';

export const pct = (ratio: number | null | undefined, digits = 1) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)} %`);
export const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v)} ms`);
export const eur = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`);

export function verdict(out: Output, v: string): string {
  if (v === 'PASS' || v === 'GO') return out.paint(v, 'good');
  if (v === 'FAIL' || v === 'NO-GO') return out.paint(v, 'bad');
  return out.paint(v, 'warn');
}

/** A criterion's target or measure in its unit. */
export function inUnit(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === 'ratio') return pct(value, 1);
  if (unit === 'ms') return ms(value);
  if (unit === 'eur') return eur(value, 2);
  if (unit === 'score') return `${value.toFixed(1)}/10`;
  return String(value);
}
