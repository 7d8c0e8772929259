// An alert in the page's language, built from its metric, value and threshold (the gateway's message is
// English; it stands in for a metric this page does not know).
import type { AlertView } from '../model/types.ts';
import { formatMs, formatNumber, formatPercent, type Locale } from '../model/format.ts';
import type { I18n } from '../i18n/I18nProvider.tsx';

export function alertText(a: AlertView, tx: I18n['tx'], locale: Locale): string {
  const value = (v: number | null): string => (a.metric === 'error_rate' || a.metric === 'quality' ? formatPercent(v, locale) : a.metric === 'p95_latency' ? formatMs(v, locale) : formatNumber(v, locale, 1));
  return tx(`alert_${a.metric}`, { provider: a.provider ?? '', value: value(a.value), threshold: value(a.threshold) }, a.message);
}
