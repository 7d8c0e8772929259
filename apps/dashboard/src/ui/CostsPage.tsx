import { useMemo } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView, HistoryPoint } from '../model/types.ts';
import { breakEvenMonths, measureCosts, monthlySaving, PLAN, savingRatio } from '../model/costs.ts';
import { formatEuro, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useRefetch } from '../state/useRefetch.ts';
import { StatTile } from './StatTile.tsx';

export function CostsPage({ client, components, revision }: { client: AdminClient; components: ComponentView[]; revision: number }) {
  const { t, locale } = useI18n();
  const ids = components.map((c) => c.component).join(',');
  // Month-to-date needs up to 31 days of rollups; the 7-day window is what the history endpoint keeps at
  // full resolution, so the projection extrapolates from the covered span (see measureCosts).
  const rollups = useRefetch(async () => {
    const entries = await Promise.all(components.map(async (c) => [c.component, await client.history(c.component, '7d')] as const));
    return Object.fromEntries(entries) as Record<string, HistoryPoint[]>;
  }, [client, ids, Math.floor(revision / 20)]);
  const measured = useMemo(() => (rollups.value ? measureCosts(rollups.value, new Date()) : null), [rollups.value]);
  const breakEven = breakEvenMonths(PLAN);
  return (
    <>
      <h2 id="page-title">{t('costsTitle')}</h2>
      <section className="panel" aria-labelledby="plan-title">
        <h3 id="plan-title">{t('planModel')}</h3>
        <dl className="tiles">
          <StatTile label={t('mvpMonthly')} value={formatEuro(PLAN.mvpMonthly, locale)} />
          <StatTile label={t('productionMonthly')} value={formatEuro(PLAN.productionMonthly, locale)} />
          <StatTile label={t('monthlySaving')} value={`${formatEuro(monthlySaving(PLAN), locale)} (${formatPercent(savingRatio(PLAN), locale, 0)})`} tone="good" />
          <StatTile label={t('oneTime')} value={formatEuro(PLAN.oneTime, locale)} />
          <StatTile label={t('breakEven')} value={breakEven === null ? '—' : `${formatNumber(breakEven, locale)} ${t('months')}`} testId="break-even" />
        </dl>
      </section>
      <section className="panel" aria-labelledby="measured-title">
        <h3 id="measured-title">{t('measuredCosts')}</h3>
        {rollups.error && <p className="error">{rollups.error}</p>}
        <dl className="tiles">
          <StatTile label={t('monthToDate')} value={formatEuro(measured?.monthToDate ?? null, locale, 2)} testId="month-to-date" />
          <StatTile label={t('projection')} value={formatEuro(measured?.projectedMonth ?? null, locale, 2)} testId="projection" />
        </dl>
        {measured && measured.projectedMonth !== null && (
          <p className="hint">
            {t('projectionBasis')} {formatNumber(measured.coveredMs / 3_600_000, locale, 1)} h.
          </p>
        )}
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('component')}</th>
                <th scope="col">{t('costPerRequest')}</th>
                <th scope="col">{t('mvpCostPerRequest')}</th>
                <th scope="col">{t('byComponent')}</th>
              </tr>
            </thead>
            <tbody>
              {components.map((c) => (
                <tr key={c.component}>
                  <th scope="row">{c.component}</th>
                  <td>{formatEuro(c.metrics.costPerRequest, locale, 5)}</td>
                  <td>{formatEuro(c.metrics.mvpCostPerRequest, locale, 5)}</td>
                  <td>{formatEuro(measured?.byComponent[c.component] ?? null, locale, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
