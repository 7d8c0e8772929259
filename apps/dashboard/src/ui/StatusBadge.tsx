import type { ComponentView } from '../model/types.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function StatusBadge({ status }: { status: ComponentView['status'] }) {
  const { t } = useI18n();
  return (
    <span className={`badge status-${status}`} data-testid="status">
      {t(`status_${status}`)}
    </span>
  );
}
