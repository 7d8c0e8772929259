import { useEffect, useMemo, useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView } from '../model/types.ts';
import { breakEvenMonths, measureCosts, measuredBreakEven, monthlySaving, planFigures, savingRatio, versusBaseline } from '../model/costs.ts';
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
  // The gateway keeps the month's totals per component (GET /admin/v1/costs), beyond the rollups' retention,
  // and sends the plan priced by its config (the one-time cost from the stack).
  const costs = useRefetch(() => client.costs(), [client, tick]);
  const measured = useMemo(() => (costs.value ? measureCosts(costs.value) : null), [costs.value]);
  const plan = costs.value?.plan;
  const figures = planFigures(plan);
  const breakEven = breakEvenMonths(figures);
  const published = plan?.published;
  const beside = (value: number | undefined, digits = 0) => (value === undefined ? undefined : `${t('planPublished')} ${formatEuro(value, locale, digits)}`);
  const vsBaseline = versusBaseline(measured?.projectedMonth ?? null, figures.mvpMonthly);
  const measuredMonths = measuredBreakEven(measured?.projectedMonth ?? null, figures);
  return (
    <>
      <h2 id="page-title">{t('costsTitle')}</h2>
      <section className="panel" aria-labelledby="plan-title">
        <h3 id="plan-title">{t('planModel')}</h3>
        {plan && <p className="hint">{t('planFromConfig')}.</p>}
        <dl className="tiles">
          <StatTile label={t('mvpMonthly')} value={withPlan(formatEuro(figures.mvpMonthly, locale), beside(published?.baselineMonthlyEur))} testId="plan-baseline" />
          <StatTile label={t('productionMonthly')} value={withPlan(formatEuro(figures.productionMonthly, locale), beside(published?.productionMonthlyEur))} testId="plan-production" />
          <StatTile label={t('monthlySaving')} value={`${formatEuro(monthlySaving(figures), locale)} (${formatPercent(savingRatio(figures), locale, 0)})`} tone="good" testId="plan-saving" />
          <StatTile label={t('oneTime')} value={withPlan(formatEuro(figures.oneTime, locale), beside(published?.oneTimeEur))} testId="one-time" />
          <StatTile label={t('breakEven')} value={breakEven === null ? '—' : `${formatNumber(breakEven, locale)} ${t('months')}`} testId="break-even" />
        </dl>
      </section>
      {plan && (
        <section className="panel" aria-labelledby="return-title">
          <h3 id="return-title">{t('returnTitle')}</h3>
          <div className="table-scroll">
            <table data-testid="return">
              <thead>
                <tr>
                  <th scope="col">{t('year')}</th>
                  <th scope="col">{t('net')}</th>
                  <th scope="col">{t('sinceSwitch')}</th>
                  <th scope="col">{t('arithmetic')}</th>
                  <th scope="col">{t('planPublished')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.years.map((y) => (
                  <tr key={y.year}>
                    <th scope="row">{y.year}</th>
                    <td>{formatEuro(y.netEur, locale)}</td>
                    <td>{formatEuro(y.cumulativeEur, locale)}</td>
                    <td>{y.arithmetic}</td>
                    <td>{formatEuro(y.year === 1 ? plan.published.yearly.year1Eur : y.year === 2 ? plan.published.yearly.year2Eur : plan.published.yearly.afterThreeYearsEur, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 id="scale-title">{t('scaleTitle')}</h3>
          <div className="table-scroll">
            <table data-testid="scale" aria-labelledby="scale-title">
              <thead>
                <tr>
                  <th scope="col">{t('students')}</th>
                  <th scope="col">{t('paidApis')}</th>
                  <th scope="col">{t('migrated')}</th>
                  <th scope="col">{t('savedPerMonth')}</th>
                  <th scope="col">{t('arithmetic')}</th>
                  <th scope="col">{t('planPublished')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.scale.map((s) => (
                  <tr key={s.students}>
                    <th scope="row">{formatNumber(s.students, locale)}</th>
                    <td>{formatEuro(s.mvpMonthlyEur, locale)}</td>
                    <td>{formatEuro(s.productionMonthlyEur, locale)}</td>
                    <td>{formatEuro(s.savedMonthlyEur, locale)}</td>
                    <td>{s.arithmetic}</td>
                    <td>{formatEuro(plan.published.savedAtScale.find((p) => p.students === s.students)?.savedMonthlyEur ?? null, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t('scaleNote')}</p>
        </section>
      )}
      <section className="panel" aria-labelledby="measured-title">
        <h3 id="measured-title">
          {t('measuredCosts')}
          {costs.value && ` — ${costs.value.month}`}
        </h3>
        {costs.error && <p className="error">{costs.error}</p>}
        <dl className="tiles">
          <StatTile label={t('monthToDate')} value={formatEuro(measured?.monthToDate ?? null, locale, 2)} testId="month-to-date" />
          <StatTile label={t('projection')} value={formatEuro(measured?.projectedMonth ?? null, locale, 2)} testId="projection" />
          <StatTile label={`${t('versusBaseline')} (${formatEuro(figures.mvpMonthly, locale)})`} value={formatPercent(vsBaseline, locale, 0)} tone={vsBaseline === null ? undefined : vsBaseline <= 1 ? 'good' : 'bad'} testId="versus-baseline" />
          <StatTile label={t('measuredBreakEven')} value={measuredMonths === null ? '—' : `${formatNumber(measuredMonths, locale, 1)} ${t('months')}`} testId="measured-break-even" />
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

function withPlan(value: string, plan: string | undefined): string {
  return plan === undefined ? value : `${value} (${plan})`;
}
