import type { CriteriaView } from '../model/types.ts';
import { formatNumber } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function CriteriaTable({ criteria }: { criteria: CriteriaView | null }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="criteria-title" className="panel">
      <div className="panel-head">
        <h3 id="criteria-title">{t('criteria')}</h3>
        {criteria && (
          <span className={`verdict ${criteria.go ? 'verdict-go' : 'verdict-nogo'}`} data-testid="go-verdict">
            {criteria.go ? t('go') : t('noGo')}
          </span>
        )}
      </div>
      {!criteria ? (
        <p>{t('loading')}</p>
      ) : (
        <table>
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
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.target}</td>
                <td>
                  {formatNumber(c.measured, locale, 3)}
                  {c.unit && c.measured !== null ? ` ${c.unit}` : ''}
                </td>
                <td>{formatNumber(c.samples, locale)}</td>
                <td>
                  <span className={`verdict-cell verdict-${c.verdict.toLowerCase()}`}>{c.verdict}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
