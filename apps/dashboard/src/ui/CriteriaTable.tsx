import type { CriteriaView } from '../model/types.ts';
import { formatInUnit, formatNumber } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

const VERDICT_CLASS = { GO: 'verdict-go', 'NO-GO': 'verdict-nogo', HOLD: 'verdict-hold' } as const;

export function CriteriaTable({ criteria }: { criteria: CriteriaView | null }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="criteria-title" className="panel">
      <div className="panel-head">
        <h3 id="criteria-title">
          {t('criteria')}
          {criteria?.provider ? ` · ${criteria.provider}` : ''}
        </h3>
        {criteria && (
          <span className={`verdict ${VERDICT_CLASS[criteria.verdict]}`} data-testid="go-verdict" title={t(`verdict_${criteria.verdict}`)}>
            {criteria.verdict}
          </span>
        )}
      </div>
      {criteria && <p className="hint">{t(`verdict_${criteria.verdict}`)}</p>}
      {!criteria ? (
        <p>{t('loading')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="criteria">
            <thead>
              <tr>
                <th scope="col">{t('criterion')}</th>
                <th scope="col">{t('target')}</th>
                <th scope="col">{t('measured')}</th>
                <th scope="col">{t('samples')}</th>
                <th scope="col">{t('verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {criteria.criteria.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.label}</th>
                  <td>
                    {c.comparator} {formatInUnit(c.target, c.unit, locale)}
                  </td>
                  <td>{formatInUnit(c.measured, c.unit, locale)}</td>
                  <td>
                    {formatNumber(c.samples, locale)}
                    {c.minSamples !== null && <span className="hint"> / {formatNumber(c.minSamples, locale)}</span>}
                  </td>
                  <td>
                    <span className={`verdict-cell verdict-${c.verdict.toLowerCase()}`}>{c.verdict}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
