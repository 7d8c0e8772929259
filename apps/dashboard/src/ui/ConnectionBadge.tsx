import type { ConnectionState } from '../live/reconnect.ts';
import { useI18n } from '../i18n/useI18n.ts';

/** The live stream's state, always visible; "disconnected" offers an immediate retry. */
export function ConnectionBadge({ state, onRetry }: { state: ConnectionState; onRetry: () => void }) {
  const { t } = useI18n();
  const label = state.kind === 'live' ? t('live') : state.kind === 'disconnected' ? t('disconnected') : state.kind === 'unauthorized' ? t('unauthorized') : t('connecting');
  return (
    <div className={`connection connection-${state.kind}`} role="status" aria-live="polite" data-testid="connection">
      <span className="dot" aria-hidden="true" />
      <span>{label}</span>
      {state.kind === 'disconnected' && (
        <button type="button" className="link" onClick={onRetry}>
          {t('retryNow')}
        </button>
      )}
    </div>
  );
}
