// The page's language: French or English, remembered in localStorage, reflected on <html lang>.
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dictionaries, type MessageKey } from './dictionary.ts';
import type { Locale } from '../model/format.ts';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey) => string;
  toggle: () => void;
}

export const I18nContext = createContext<I18n>({ locale: 'en', t: (key) => dictionaries.en[key], toggle: () => undefined });

const STORAGE_KEY = 'bascule.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'fr' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }, [locale]);
  const toggle = useCallback(() => setLocale((l) => (l === 'fr' ? 'en' : 'fr')), []);
  const value = useMemo<I18n>(() => ({ locale, t: (key) => dictionaries[locale][key], toggle }), [locale, toggle]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
