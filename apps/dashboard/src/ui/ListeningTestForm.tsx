// For `tts`: an operator records a listening test (a score and a note) for one of the component's voices; it is
// posted to `POST …/quality` as the `listening-test` benchmark, which the voice-quality criterion counts.
import { useState, type FormEvent } from 'react';
import { listeningTestBody, NOTE_MAX, type ListeningTestCheck } from '../model/quality.ts';
import type { AdminClient } from '../api/adminClient.ts';
import { formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

type Field = Extract<ListeningTestCheck, { ok: false }>['field'];

export interface ListeningTestFormProps {
  client: AdminClient;
  component: string;
  /** The component's providers, the self-hosted one first (the default). */
  providers: string[];
  onRecorded: () => void;
}

export function ListeningTestForm({ client, component, providers, onRecorded }: ListeningTestFormProps) {
  const { t, tx, locale } = useI18n();
  const [provider, setProvider] = useState(providers[0] ?? '');
  const [scorePercent, setScore] = useState('');
  const [samples, setSamples] = useState('10');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<Field | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    setError(null);
    const checked = listeningTestBody({ provider, scorePercent, samples, note });
    if (!checked.ok) return setInvalid(checked.field);
    setInvalid(null);
    setBusy(true);
    try {
      await client.recordQuality(component, checked.body);
      setDone(tx('listeningSaved', { score: formatPercent(checked.body.score, locale), provider }));
      setScore('');
      setNote('');
      onRecorded();
    } catch (e) {
      setError(`${t('errorPrefix')}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: Field): string | undefined => (invalid === field ? 'listening-error' : undefined);
  return (
    <form className="listening" onSubmit={(e) => void submit(e)} noValidate data-testid="listening-form" aria-labelledby="listening-title">
      <h4 id="listening-title">{t('listeningTest')}</h4>
      <p className="hint">{t('listeningHint')}</p>
      <label htmlFor="listening-provider">{t('provider')}</label>
      <select id="listening-provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
        {providers.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <label htmlFor="listening-score">{t('listeningScore')}</label>
      <input id="listening-score" inputMode="decimal" value={scorePercent} onChange={(e) => setScore(e.target.value)} aria-invalid={invalid === 'score'} aria-describedby={describedBy('score')} />
      <label htmlFor="listening-samples">{t('listeningSamples')}</label>
      <input id="listening-samples" type="number" min={1} step={1} value={samples} onChange={(e) => setSamples(e.target.value)} aria-invalid={invalid === 'samples'} aria-describedby={describedBy('samples')} />
      <label htmlFor="listening-note">{t('listeningNote')}</label>
      <textarea id="listening-note" rows={2} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={invalid === 'note'} aria-describedby={describedBy('note')} />
      {invalid && (
        <p id="listening-error" className="error" role="alert">
          {t(`listening_${invalid}`)}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="listening-failed">
          {error}
        </p>
      )}
      {done && (
        <p className="ok" role="status" data-testid="listening-saved">
          {done}
        </p>
      )}
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('applying') : t('listeningSubmit')}
        </button>
      </div>
    </form>
  );
}
