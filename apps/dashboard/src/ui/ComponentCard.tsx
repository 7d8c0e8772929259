import type { ComponentView } from '../model/types.ts';
import { costEfficiency, healthLevel } from '../model/overview.ts';
import { formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { BreakerList } from './BreakerList.tsx';
import { useStepText } from './useStepText.ts';

export function ComponentCard({ component: c }: { component: ComponentView }) {
  const { t, locale } = useI18n();
  const stepText = useStepText();
  const critical = c.alerts.some((a) => a.severity === 'critical');
  return (
    <article className={`card ${critical ? 'card-alert' : ''}`} aria-labelledby={`card-${c.component}`} data-testid={`card-${c.component}`}>
      <header>
        <h3 id={`card-${c.component}`}>
          <a href={`#/components/${encodeURIComponent(c.component)}`}>{c.component}</a>
        </h3>
        <StatusBadge status={c.status} />
      </header>
      <dl className="facts">
        <dt>{t('weight')}</dt>
        <dd data-testid="weight">{formatNumber(c.weight, locale, 2)} %</dd>
        <dt>{t('step')}</dt>
        <dd data-testid="step">{stepText(c)}</dd>
        <dt>{t('health')}</dt>
        <dd className={`health-${healthLevel(c.health)}`} data-testid="health">
          {c.health === null ? '—' : `${formatNumber(c.health, locale)} / 100`}
        </dd>
        <dt>{t('p95')}</dt>
        <dd data-testid="p95">{formatMs(c.metrics.p95Ms, locale)}</dd>
        <dt>{t('errorRate')}</dt>
        <dd data-testid="error-rate">{formatPercent(c.metrics.errorRate, locale)}</dd>
        <dt>{t('costEfficiency')}</dt>
        <dd data-testid="cost-efficiency">{c.weight === 0 ? t('nothingMigrated') : formatPercent(costEfficiency(c), locale, 0)}</dd>
      </dl>
      <h4>{t('breakers')}</h4>
      <BreakerList providers={c.providers} />
      {c.alerts.some((a) => a.severity !== 'info') && (
        <p className="alert-count" role="note">
          ⚠ {c.alerts.filter((a) => a.severity !== 'info').length} {t('openAlerts').toLowerCase()}
        </p>
      )}
    </article>
  );
}
