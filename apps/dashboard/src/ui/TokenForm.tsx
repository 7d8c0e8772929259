import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/useI18n.ts';

export function TokenForm({ onSubmit, refused }: { onSubmit: (token: string) => void; refused: boolean }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (token.trim()) onSubmit(token.trim());
  };
  return (
    <form className="panel token-form" onSubmit={submit} aria-labelledby="token-title">
      <h2 id="token-title">{t('tokenTitle')}</h2>
      <p id="token-help">{t('tokenHelp')}</p>
      <p className="hint" data-testid="token-local">{t('tokenLocal')}</p>
      {refused && (
        <p className="error" role="alert">
          {t('unauthorized')}
        </p>
      )}
      <label htmlFor="admin-token">{t('tokenTitle')}</label>
      <input id="admin-token" name="token" type="password" autoComplete="off" required aria-describedby="token-help" value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
      <button type="submit">{t('tokenSubmit')}</button>
    </form>
  );
}
