// How busy the self-hosted hosts are now, how busy they would be at the next step and at 100 %, and how many
// students one host can serve under the threshold (docs/capacity.md). Shown for a self-hosted production
// provider only; the criteria table judges the forecast at the next step.
import type { CapacityView } from '../model/types.ts';
import { formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { StatTile } from './StatTile.tsx';

/** Over the threshold is bad, within 10 points of it a warning. */
function tone(utilisation: number | null, threshold: number): 'good' | 'warn' | 'bad' | undefined {
  if (utilisation === null) return undefined;
  if (utilisation >= threshold) return 'bad';
  return utilisation >= threshold - 0.1 ? 'warn' : 'good';
}

export function CapacityPanel({ capacity: c }: { capacity: CapacityView }) {
  const { t, tx, locale } = useI18n();
  const hosts = tx('capacityHosts', { hosts: formatNumber(c.hosts, locale), slots: formatNumber(c.slotsPerHost, locale) });
  return (
    <section className="panel" aria-labelledby="capacity-title" data-testid="capacity">
      <h3 id="capacity-title">
        {t('capacity')} · {c.provider}
      </h3>
      <p className="hint">
        {tx('capacityHelp', { threshold: formatPercent(c.threshold, locale) })} {hosts}
      </p>
      <dl className="tiles">
        <StatTile label={t('serviceTime')} value={c.serviceMs === null ? '—' : `${formatMs(c.serviceMs, locale)} · ${formatNumber(c.samples, locale)} ${t('samples').toLowerCase()}`} testId="capacity-service" />
        <StatTile label={t('utilisationNow')} value={formatPercent(c.utilisationNow, locale)} tone={tone(c.utilisationNow, c.threshold)} testId="capacity-now" />
        {c.nextWeight !== null && (
          <StatTile label={tx('utilisationAtNext', { weight: formatNumber(c.nextWeight, locale, 2) })} value={formatPercent(c.atNextStep, locale)} tone={tone(c.atNextStep, c.threshold)} testId="capacity-next" />
        )}
        <StatTile label={t('utilisationAtFull')} value={formatPercent(c.atFull, locale)} tone={tone(c.atFull, c.threshold)} testId="capacity-full" />
        <StatTile label={t('studentsPerHost')} value={c.studentsPerHost === null ? '—' : formatNumber(c.studentsPerHost, locale)} testId="capacity-students" />
      </dl>
    </section>
  );
}
