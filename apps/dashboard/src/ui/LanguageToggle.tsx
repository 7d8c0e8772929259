import { useI18n } from '../i18n/useI18n.ts';

export function LanguageToggle() {
  const { t, toggle } = useI18n();
  return (
    <button type="button" className="secondary" onClick={toggle} aria-label={t('languageLabel')}>
      {t('language')}
    </button>
  );
}
