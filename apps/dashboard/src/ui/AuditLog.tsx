import type { AuditEventView, RolloutStateView } from '../model/types.ts';
import { formatNumber, formatTime, type Locale } from '../model/format.ts';

const stateText = (s: RolloutStateView | null, locale: Locale, status: (v: string) => string): string => (s ? `${status(s.status)} ${formatNumber(s.weight, locale, 2)} %` : '—');
import { useI18n } from '../i18n/useI18n.ts';
import { useStatusLabel } from './useStatusLabel.ts';

export function AuditLog({ events }: { events: AuditEventView[] }) {
  const { t, locale } = useI18n();
  const status = useStatusLabel();
  return (
    <section aria-labelledby="audit-title" className="panel" data-testid="audit-log">
      <h3 id="audit-title">{t('auditLog')}</h3>
      {events.length === 0 ? (
        <p>{t('noEvents')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('when')}</th>
                <th scope="col">{t('who')}</th>
                <th scope="col">{t('what')}</th>
                <th scope="col">{t('fromTo')}</th>
                <th scope="col">{t('why')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at, locale)}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>
                    {stateText(e.from, locale, status)} → {stateText(e.to, locale, status)}
                  </td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
