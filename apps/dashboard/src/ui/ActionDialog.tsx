// One operator action in a modal dialog: enter a reason (and a weight), review what will change
// (from → to), confirm. The native <dialog> keeps focus inside and closes on Escape.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ComponentView } from '../model/types.ts';
import { ActionInputError, plannedChanges, validateReason, validateWeight, type ActionKind } from '../model/actions.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ChangeList } from './ChangeList.tsx';

export interface ActionDialogProps {
  component: ComponentView;
  kind: ActionKind;
  onSubmit: (reason: string, weight?: number) => Promise<void>;
  onClose: () => void;
}

export function ActionDialog({ component, kind, onSubmit, onClose }: ActionDialogProps) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [stage, setStage] = useState<'edit' | 'review' | 'busy'>('edit');
  const [reason, setReason] = useState('');
  const [weight, setWeight] = useState(String(component.weight));
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [parsed, setParsed] = useState<{ reason: string; weight?: number } | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const review = (event: FormEvent): void => {
    event.preventDefault();
    try {
      const next = { reason: validateReason(reason), weight: kind === 'weight' ? validateWeight(weight) : undefined };
      setParsed(next);
      setFieldError(null);
      setStage('review');
    } catch (e) {
      if (e instanceof ActionInputError) setFieldError({ field: e.field, message: e.message });
      else throw e;
    }
  };

  const confirm = async (): Promise<void> => {
    if (!parsed) return;
    setStage('busy');
    setError(null);
    try {
      await onSubmit(parsed.reason, parsed.weight);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setStage('review');
    }
  };

  const title = `${t(`action_${kind}`)} — ${component.component}`;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="action-title" onClose={onClose} data-testid="action-dialog">
      <h2 id="action-title">{title}</h2>
      {stage === 'edit' ? (
        <form onSubmit={review} noValidate>
          {kind === 'weight' && (
            <>
              <label htmlFor="action-weight">{t('newWeight')}</label>
              <input id="action-weight" name="weight" type="number" min={0} max={100} step={0.01} value={weight} onChange={(e) => setWeight(e.target.value)} aria-invalid={fieldError?.field === 'weight'} aria-describedby={fieldError?.field === 'weight' ? 'action-field-error' : undefined} />
            </>
          )}
          <label htmlFor="action-reason">{t('reason')}</label>
          <textarea id="action-reason" name="reason" rows={3} required value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={fieldError?.field === 'reason'} aria-describedby={fieldError?.field === 'reason' ? 'action-field-error' : undefined} autoFocus={kind !== 'weight'} />
          {fieldError && (
            <p id="action-field-error" className="error" role="alert">
              {fieldError.message}
            </p>
          )}
          <div className="buttons">
            <button type="button" className="secondary" onClick={onClose}>
              {t('cancel')}
            </button>
            <button type="submit">{t('review')}</button>
          </div>
        </form>
      ) : (
        <div>
          <h3>{t('willChange')}</h3>
          <ChangeList changes={plannedChanges(component, kind, parsed?.weight)} />
          <p className="hint">
            {t('why')}: {parsed?.reason}
          </p>
          {error && (
            <p className="error" role="alert" data-testid="action-error">
              {t('errorPrefix')}: {error}
            </p>
          )}
          <div className="buttons">
            <button type="button" className="secondary" onClick={() => setStage('edit')} disabled={stage === 'busy'}>
              {t('back')}
            </button>
            <button type="button" className={kind === 'rollback' ? 'danger' : ''} onClick={() => void confirm()} disabled={stage === 'busy'} autoFocus>
              {stage === 'busy' ? t('applying') : t('confirm')}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
