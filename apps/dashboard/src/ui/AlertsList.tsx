import type { AlertView } from '../model/types.ts';
import { alertText } from './alertText.ts';
import { useI18n } from '../i18n/useI18n.ts';

/** Open alerts in words; a warning on the paid provider is shown as information (nothing to act on). */
export function AlertsList({ alerts }: { alerts: AlertView[] }) {
  const { t, tx, locale } = useI18n();
  return (
    <section aria-labelledby="alerts-title" className="panel" data-testid="alerts">
      <h3 id="alerts-title">{t('alerts')}</h3>
      <p className="hint">{t('thresholds')}</p>
      {alerts.length === 0 ? (
        <p>{t('noAlerts')}</p>
      ) : (
        <ul className="alerts">
          {alerts.map((a) => (
            <li key={a.id} className={`alert alert-${a.severity}`} data-metric={a.metric} data-value={a.value ?? ''}>
              <strong>{tx(`severity_${a.severity}`)}</strong> {alertText(a, tx, locale)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
