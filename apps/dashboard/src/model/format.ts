// Number formatting for the page, in the reader's language. Missing values show as an em dash.
export type Locale = 'fr' | 'en';

const DASH = '—';
const intl = (locale: Locale): string => (locale === 'fr' ? 'fr-FR' : 'en-GB');

export function formatMs(ms: number | null, locale: Locale): string {
  if (ms === null) return DASH;
  if (ms >= 10_000) return `${new Intl.NumberFormat(intl(locale), { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  return `${new Intl.NumberFormat(intl(locale), { maximumFractionDigits: 0 }).format(ms)} ms`;
}

/** A ratio (0.051) as a percentage ("5.1 %"). */
export function formatPercent(ratio: number | null, locale: Locale, digits = 1): string {
  if (ratio === null) return DASH;
  return new Intl.NumberFormat(intl(locale), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(ratio);
}

export function formatEuro(amount: number | null, locale: Locale, digits = 0): string {
  if (amount === null) return DASH;
  return new Intl.NumberFormat(intl(locale), { style: 'currency', currency: 'EUR', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(amount);
}

export function formatNumber(value: number | null, locale: Locale, digits = 0): string {
  if (value === null) return DASH;
  return new Intl.NumberFormat(intl(locale), { maximumFractionDigits: digits }).format(value);
}

/** Time of day for the audit log and charts, in the reader's time zone. */
export function formatTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || DASH;
  return new Intl.DateTimeFormat(intl(locale), { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

/** A criterion's value in its unit: ratios as percentages, milliseconds, euros, scores out of 10. */
export function formatInUnit(value: number | null, unit: 'ms' | 'ratio' | 'eur' | 'score' | 'other', locale: Locale): string {
  if (unit === 'ms') return formatMs(value, locale);
  if (unit === 'score') return value === null ? DASH : `${formatNumber(value, locale, 1)}/10`;
  if (unit === 'ratio') return formatPercent(value, locale, 2);
  if (unit === 'eur') return formatEuro(value, locale, 4);
  return formatNumber(value, locale, 3);
}

/** A duration as people read it: "45 s", "12 min", "5 h 12 min", "2 d 4 h" ("2 j 4 h" in French). */
export function formatDuration(ms: number | null, locale: Locale): string {
  if (ms === null || !Number.isFinite(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h <= 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  const day = locale === 'fr' ? 'j' : 'd';
  return h % 24 === 0 ? `${d} ${day}` : `${d} ${day} ${h % 24} h`;
}

/** A time of day with seconds, for "figures as of …" and chart axes. */
export function formatClock(at: string | number, locale: Locale): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return DASH;
  return new Intl.DateTimeFormat(intl(locale), { timeStyle: 'medium' }).format(date);
}

/** A chart axis label: the time of day, and the date when the range spans days. */
export function formatAxisTime(epochSeconds: number, locale: Locale, withDate: boolean): string {
  const date = new Date(epochSeconds * 1000);
  return new Intl.DateTimeFormat(intl(locale), withDate ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' }).format(date);
}
