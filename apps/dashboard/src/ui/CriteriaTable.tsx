// GO / NO-GO: each criterion as a question a person would ask, its target, what was measured and the
// answer, all from the component's one snapshot; below, how the verdict evolved (the gateway keeps it).
import type { CriteriaHistoryPointView, CriterionView, GoVerdict } from '../model/types.ts';
import { formatInUnit, formatNumber, formatTime } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ScrollTable } from './ScrollTable.tsx';

const VERDICT_CLASS = { GO: 'verdict-go', 'NO-GO': 'verdict-nogo', HOLD: 'verdict-hold' } as const;

export interface CriteriaTableProps {
  verdict: GoVerdict | null;
  criteria: CriterionView[];
  provider: string | null;
  history: CriteriaHistoryPointView[];
}

export function CriteriaTable({ verdict, criteria, provider, history }: CriteriaTableProps) {
  const { t, tx, locale } = useI18n();
  const question = (c: CriterionView): string => tx(`crit_${c.id}`, { target: formatInUnit(c.target, c.unit, locale) }, c.label);
  // The changes of verdict, newest first: a flip shows, a long run of the same verdict does not repeat.
  const changes = history.filter((p, i) => i === 0 || history[i - 1]!.verdict !== p.verdict).slice(-8).reverse();
  return (
    <section aria-labelledby="criteria-title" className="panel">
      <div className="panel-head">
        <h3 id="criteria-title">
          {t('criteria')}
          {provider ? ` · ${provider}` : ''}
        </h3>
        {verdict && (
          <span className={`verdict ${VERDICT_CLASS[verdict]}`} data-testid="go-verdict">
            {verdict}
          </span>
        )}
      </div>
      {verdict && <p className="hint">{t(`verdict_${verdict}`)}</p>}
      {criteria.length === 0 ? (
        <p>{t('loading')}</p>
      ) : (
        <ScrollTable name={t('criteria')}>
          <table data-testid="criteria">
            <thead>
              <tr>
                <th scope="col">{t('criterion')}</th>
                <th scope="col">{t('measured')}</th>
                <th scope="col">{t('samples')}</th>
                <th scope="col">{t('verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {criteria.map((c) => (
                <tr key={c.id} data-criterion={c.id}>
                  <th scope="row">{question(c)}</th>
                  <td>{c.id === 'breaker_closed' ? '—' : formatInUnit(c.measured, c.unit, locale)}</td>
                  <td>
                    {formatNumber(c.samples, locale)}
                    {c.minSamples !== null && c.minSamples > 0 && <span className="hint"> / {formatNumber(c.minSamples, locale)}</span>}
                  </td>
                  <td>
                    <span className={`verdict-cell verdict-${c.verdict.toLowerCase()}`}>{tx(`answer_${c.verdict}`)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <h4>{t('criteriaHistory')}</h4>
      {changes.length === 0 ? (
        <p className="hint">{t('noHistory')}</p>
      ) : (
        <ul className="verdict-history" data-testid="criteria-history">
          {changes.map((p) => (
            <li key={p.at}>
              <time dateTime={p.at}>{formatTime(p.at, locale)}</time> <span className={`verdict ${VERDICT_CLASS[p.verdict]}`}>{p.verdict}</span>{' '}
              <span className="hint">{p.criteria.filter((c) => c.verdict !== 'PASS').map((c) => tx(`crit_${c.id}`, { target: '…' }, c.id)).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
