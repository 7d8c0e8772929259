import type { AuditEventView, RolloutStateView } from '../model/types.ts';
import { formatNumber, formatTime, type Locale } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useStatusLabel } from './useStatusLabel.ts';
import { ScrollTable } from './ScrollTable.tsx';

const stateText = (s: RolloutStateView | null, locale: Locale, status: (v: string) => string): string => (s ? `${status(s.status)} ${formatNumber(s.weight, locale, 2)} %` : '—');
/** The engine writes an overridden action's reason as `<reason> · OVERRIDE: <why> (despite: …)`. */
const OVERRIDE = ' · OVERRIDE: ';

export function AuditLog({ events }: { events: AuditEventView[] }) {
  const { t, tx, locale } = useI18n();
  const status = useStatusLabel();
  return (
    <section aria-labelledby="audit-title" className="panel" data-testid="audit-log">
      <h3 id="audit-title">{t('auditLog')}</h3>
      {events.length === 0 ? (
        <p>{t('noEvents')}</p>
      ) : (
        <ScrollTable name={t('auditLog')}>
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
              {events.map((e) => {
                const overridden = e.reason.includes(OVERRIDE);
                return (
                  <tr key={e.id} data-action={e.action} data-override={overridden || undefined}>
                    <td>
                      <time dateTime={e.at}>{formatTime(e.at, locale)}</time>
                    </td>
                    <td>{tx(`actor_${e.actor}`, {}, e.actor)}</td>
                    <td>
                      {tx(`audit_${e.action}`, {}, e.action)}
                      {overridden && <strong className="override-badge"> · {t('overrideBadge')}</strong>}
                    </td>
                    <td>
                      {stateText(e.from, locale, status)} → {stateText(e.to, locale, status)}
                    </td>
                    <td>{e.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}
