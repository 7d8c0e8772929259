import type { AlertView } from '../model/types.ts';
import { formatNumber } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function AlertsList({ alerts }: { alerts: AlertView[] }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="alerts-title" className="panel" data-testid="alerts">
      <h3 id="alerts-title">{t('alerts')}</h3>
      <p className="hint">{t('thresholds')}</p>
      {alerts.length === 0 ? (
        <p>{t('noAlerts')}</p>
      ) : (
        <ul className="alerts">
          {alerts.map((a) => (
            <li key={a.id} className={`alert alert-${a.severity}`}>
              <strong>{a.severity.toUpperCase()}</strong> {a.provider ? `${a.provider} · ` : ''}
              {a.message}
              {a.value !== null && a.threshold !== null && (
                <span className="hint">
                  {' '}
                  ({formatNumber(a.value, locale, 3)} / {formatNumber(a.threshold, locale, 3)})
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
