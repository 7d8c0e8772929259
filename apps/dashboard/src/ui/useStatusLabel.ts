import { dictionaries, type MessageKey } from '../i18n/dictionary.ts';
import { useI18n } from '../i18n/useI18n.ts';

/** A status id ("migrating") in the page's language; anything else unchanged. */
export function useStatusLabel(): (value: string) => string {
  const { t } = useI18n();
  return (value) => {
    const key = `status_${value}`;
    return key in dictionaries.en ? t(key as MessageKey) : value;
  };
}
