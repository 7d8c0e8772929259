import type { ProviderView } from '../model/types.ts';
import { formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function ProviderTable({ providers }: { providers: ProviderView[] }) {
  const { t, locale } = useI18n();
  return (
    <div className="table-scroll">
      <table data-testid="providers">
        <thead>
          <tr>
            <th scope="col">{t('breakers')}</th>
            <th scope="col">{t('p50')}</th>
            <th scope="col">{t('p95')}</th>
            <th scope="col">{t('errorRate')}</th>
            <th scope="col">{t('samples')}</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                {p.id} {p.role !== 'unknown' && <span className="role">{t(`role_${p.role}`)}</span>}{' '}
                <span className={`breaker breaker-${p.breaker}`}>{t(`breaker_${p.breaker}`)}</span>
              </th>
              <td>{formatMs(p.p50Ms, locale)}</td>
              <td>{formatMs(p.p95Ms, locale)}</td>
              <td>{formatPercent(p.errorRate, locale)}</td>
              <td>{formatNumber(p.requests, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
