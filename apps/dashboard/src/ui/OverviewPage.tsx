import type { ComponentView } from '../model/types.ts';
import { deriveOverview, healthLevel } from '../model/overview.ts';
import { formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { StatTile } from './StatTile.tsx';
import { ComponentCard } from './ComponentCard.tsx';

export function OverviewPage({ components }: { components: ComponentView[] }) {
  const { t, locale } = useI18n();
  const o = deriveOverview(components);
  const level = healthLevel(o.health);
  return (
    <>
      <h2 id="page-title">{t('navOverview')}</h2>
      <section aria-labelledby="page-title">
        <dl className="tiles">
          <StatTile label={t('overallHealth')} value={formatNumber(o.health, locale)} tone={level === 'good' ? 'good' : level === 'degraded' ? 'warn' : level === 'bad' ? 'bad' : undefined} testId="overall-health" />
          <StatTile label={t('componentsMigrated')} value={`${o.migrated} / ${o.total}`} testId="migrated" />
          <StatTile label={t('costReduction')} value={o.nothingMigrated ? t('nothingMigrated') : formatPercent(o.costReduction, locale, 0)} testId="cost-reduction" />
          <StatTile label={t('latencyGain')} value={formatPercent(o.latencyGain, locale, 0)} testId="latency-gain" />
          <StatTile label={t('requestsPerSecond')} value={formatNumber(o.requestsPerSecond, locale, 1)} testId="rps" />
          <StatTile label={t('activeStudents')} value={formatNumber(o.activeStudents, locale)} testId="students" />
          <StatTile
            label={t('openAlerts')}
            value={o.criticalAlerts > 0 ? `${o.openAlerts} (${o.criticalAlerts} ${t('critical')})` : String(o.openAlerts)}
            tone={o.criticalAlerts > 0 ? 'bad' : o.openAlerts > 0 ? 'warn' : 'good'}
            testId="open-alerts"
          />
        </dl>
      </section>
      <section className="cards" aria-label={t('details')}>
        {components.map((c) => (
          <ComponentCard key={c.component} component={c} />
        ))}
      </section>
    </>
  );
}
