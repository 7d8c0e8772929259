import type { PlannedChange } from '../model/actions.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useStatusLabel } from './useStatusLabel.ts';

export function ChangeList({ changes }: { changes: PlannedChange[] }) {
  const { t } = useI18n();
  const status = useStatusLabel();
  const label = (field: PlannedChange['field'], value: string): string => (field === 'status' ? status(value) : value);
  if (changes.length === 0) return <p>{t('nothingChanges')}</p>;
  return (
    <ul className="changes" data-testid="planned-changes">
      {changes.map((c) => (
        <li key={c.field}>
          <strong>{t(`field_${c.field}`)}</strong>: <span className="from">{label(c.field, c.from)}</span> → <span className="to">{label(c.field, c.to)}</span>
        </li>
      ))}
    </ul>
  );
}
