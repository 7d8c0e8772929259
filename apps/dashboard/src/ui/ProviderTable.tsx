import type { ProviderView } from '../model/types.ts';
import { formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ScrollTable } from './ScrollTable.tsx';

/** Each provider with what it is (self-hosted candidate, paid API) and whether it serves, in words. */
export function ProviderTable({ providers }: { providers: ProviderView[] }) {
  const { t, locale } = useI18n();
  return (
    <ScrollTable name={t('breakers')}>
      <table data-testid="providers">
        <thead>
          <tr>
            <th scope="col">{t('breakers')}</th>
            <th scope="col">{t('serving')}</th>
            <th scope="col">{t('p50')}</th>
            <th scope="col">{t('p95')}</th>
            <th scope="col">{t('errorRate')}</th>
            <th scope="col">{t('samples')}</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id} data-testid={`provider-${p.role}`}>
              <th scope="row">
                {p.id} {p.role !== 'unknown' && <span className="role">{t(`role_${p.role}`)}</span>}
              </th>
              <td data-testid="provider-serving">
                <span className={`breaker breaker-${p.breaker}`}>{t(`breaker_${p.breaker}`)}</span>
              </td>
              <td>{formatMs(p.p50Ms, locale)}</td>
              <td>{formatMs(p.p95Ms, locale)}</td>
              <td data-testid="provider-error-rate">{formatPercent(p.errorRate, locale)}</td>
              <td>{formatNumber(p.requests, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
