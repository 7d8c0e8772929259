// One operator action in a modal dialog: a reason (and a weight), then a review of what changes (status,
// weight, step), the GO/NO-GO verdict now and what blocks the action; a blocked action goes ahead only with
// an override and its own reason, which the audit log records. The native <dialog> keeps focus inside and
// closes on Escape.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BlockerView, ComponentView } from '../model/types.ts';
import { ActionInputError, blockersFor, plannedChanges, validateReason, validateWeight, type ActionKind } from '../model/actions.ts';
import { AdminApiError } from '../api/adminClient.ts';
import { formatClock } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ChangeList } from './ChangeList.tsx';
import { BlockerList } from './BlockerList.tsx';

export interface ActionDialogProps {
  component: ComponentView;
  kind: ActionKind;
  onSubmit: (reason: string, weight?: number, override?: string) => Promise<void>;
  onClose: () => void;
}

const VERDICT_CLASS = { GO: 'verdict-go', 'NO-GO': 'verdict-nogo', HOLD: 'verdict-hold' } as const;

export function ActionDialog({ component, kind, onSubmit, onClose }: ActionDialogProps) {
  const { t, locale } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [stage, setStage] = useState<'edit' | 'review' | 'busy'>('edit');
  const [reason, setReason] = useState('');
  const [weight, setWeight] = useState(String(component.weight));
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [parsed, setParsed] = useState<{ reason: string; weight?: number } | null>(null);
  const [refused, setRefused] = useState<BlockerView[] | null>(null);
  const [overriding, setOverriding] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const inputError = (e: unknown): void => {
    if (e instanceof ActionInputError) setFieldError({ field: e.field, message: t(e.messageKey) });
    else throw e;
  };

  const review = (event: FormEvent): void => {
    event.preventDefault();
    try {
      const next = { reason: validateReason(reason), weight: kind === 'weight' ? validateWeight(weight) : undefined };
      setParsed(next);
      setFieldError(null);
      setStage('review');
    } catch (e) {
      inputError(e);
    }
  };

  const blockers = refused ?? (parsed ? blockersFor(component, kind, parsed.weight) : []);

  const confirm = async (): Promise<void> => {
    if (!parsed) return;
    let override: string | undefined;
    try {
      override = overriding ? validateReason(overrideReason, 'override') : undefined;
      setFieldError(null);
    } catch (e) {
      return inputError(e);
    }
    setStage('busy');
    setError(null);
    try {
      await onSubmit(parsed.reason, parsed.weight, override);
      onClose();
    } catch (e) {
      if (e instanceof AdminApiError && e.code === 'blocked') {
        setRefused(e.blockers);
        setError(t('overrideNeeded'));
      } else setError(`${t('errorPrefix')}: ${e instanceof Error ? e.message : String(e)}`);
      setStage('review');
    }
  };

  const verdict = component.plan.verdict;
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
          <h3>{t('verdictNow')}</h3>
          <p data-testid="dialog-verdict">
            {verdict && <span className={`verdict ${VERDICT_CLASS[verdict]}`}>{verdict}</span>} {verdict && t(`verdict_${verdict}`)}
            {component.plan.evaluatedAt && <span className="hint"> ({formatClock(component.plan.evaluatedAt, locale)})</span>}
          </p>
          <h3>{t('blockedBy')}</h3>
          <BlockerList blockers={blockers} component={component} />
          {blockers.length > 0 && (
            <div className="override">
              <label className="check">
                <input type="checkbox" checked={overriding} onChange={(e) => setOverriding(e.target.checked)} data-testid="override-toggle" /> {t('overrideLabel')}
              </label>
              {overriding && (
                <>
                  <label htmlFor="override-reason">{t('overrideReason')}</label>
                  <textarea id="override-reason" rows={2} value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} aria-invalid={fieldError?.field === 'override'} aria-describedby="override-note" />
                  <p id="override-note" className="hint">
                    {t('overrideRecorded')}
                  </p>
                </>
              )}
            </div>
          )}
          {fieldError && (
            <p className="error" role="alert">
              {fieldError.message}
            </p>
          )}
          {error && (
            <p className="error" role="alert" data-testid="action-error">
              {error}
            </p>
          )}
          <div className="buttons">
            <button type="button" className="secondary" onClick={() => setStage('edit')} disabled={stage === 'busy'}>
              {t('back')}
            </button>
            <button type="button" className={kind === 'rollback' || overriding ? 'danger' : ''} onClick={() => void confirm()} disabled={stage === 'busy'} autoFocus>
              {stage === 'busy' ? t('applying') : t('confirm')}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
