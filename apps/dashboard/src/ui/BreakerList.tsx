import type { ProviderView } from '../model/types.ts';
import { useI18n } from '../i18n/useI18n.ts';

/** One line per provider: its role and its circuit breaker's state (text, not colour alone). */
export function BreakerList({ providers }: { providers: ProviderView[] }) {
  const { t } = useI18n();
  return (
    <ul className="breakers">
      {providers.map((p) => (
        <li key={p.id} data-testid={`breaker-${p.id}`}>
          <span className="provider">{p.id}</span>
          {p.role !== 'unknown' && <span className="role">{t(`role_${p.role}`)}</span>}
          <span className={`breaker breaker-${p.breaker}`}>{t(`breaker_${p.breaker}`)}</span>
        </li>
      ))}
    </ul>
  );
}
