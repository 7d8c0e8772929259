import { useEffect, useMemo, useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView } from '../model/types.ts';
import { breakEvenMonths, measureCosts, monthlySaving, PLAN, savingRatio } from '../model/costs.ts';
import { formatEuro, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useRefetch } from '../state/useRefetch.ts';
import { StatTile } from './StatTile.tsx';

/** The month's totals change slowly: fetched on arrival and once a minute. */
const POLL_MS = 60_000;

export function CostsPage({ client, components }: { client: AdminClient; components: ComponentView[] }) {
  const { t, locale } = useI18n();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  // The gateway keeps the month's totals per component (GET /admin/v1/costs), beyond the rollups' retention.
  const costs = useRefetch(() => client.costs(), [client, tick]);
  const measured = useMemo(() => (costs.value ? measureCosts(costs.value) : null), [costs.value]);
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
        <h3 id="measured-title">
          {t('measuredCosts')}
          {costs.value && ` — ${costs.value.month}`}
        </h3>
        {costs.error && <p className="error">{costs.error}</p>}
        <dl className="tiles">
          <StatTile label={t('monthToDate')} value={formatEuro(measured?.monthToDate ?? null, locale, 2)} testId="month-to-date" />
          <StatTile label={t('projection')} value={formatEuro(measured?.projectedMonth ?? null, locale, 2)} testId="projection" />
          <StatTile label={t('requestsThisMonth')} value={formatNumber(costs.value?.requests ?? null, locale)} testId="month-requests" />
        </dl>
        {measured && (
          <p className="hint">
            {measured.projectedMonth !== null
              ? `${t('projectionBasis')} ${formatNumber(measured.coveredMs / 3_600_000, locale, 1)} h.`
              : t('projectionPending')}
          </p>
        )}
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('component')}</th>
                <th scope="col">{t('costPerRequest')}</th>
                <th scope="col">{t('mvpCostPerRequest')}</th>
                <th scope="col">{t('monthToDate')}</th>
                <th scope="col">{t('byComponent')}</th>
              </tr>
            </thead>
            <tbody>
              {components.map((c) => (
                <tr key={c.component} data-testid={`costs-${c.component}`}>
                  <th scope="row">{c.component}</th>
                  <td>{formatEuro(c.metrics.costPerRequest, locale, 5)}</td>
                  <td>{formatEuro(c.metrics.mvpCostPerRequest, locale, 5)}</td>
                  <td>{formatEuro(costs.value?.byComponent[c.component]?.costEur ?? null, locale, 4)}</td>
                  <td>{formatEuro(measured?.projectedByComponent[c.component] ?? null, locale, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
