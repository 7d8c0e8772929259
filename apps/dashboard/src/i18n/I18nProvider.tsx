// The page's language: French or English, remembered in localStorage, reflected on <html lang>.
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dictionaries, fill, type MessageKey } from './dictionary.ts';
import type { Locale } from '../model/format.ts';

export interface I18n {
  locale: Locale;
  t: (key: MessageKey) => string;
  /** A message by a computed key (`crit_${id}`), its placeholders filled; `fallback` when the key is unknown. */
  tx: (key: string, values?: Record<string, string | number>, fallback?: string) => string;
  toggle: () => void;
}

function translate(locale: Locale, key: string, values: Record<string, string | number> = {}, fallback?: string): string {
  const message = (dictionaries[locale] as Record<string, string>)[key];
  return message === undefined ? (fallback ?? key) : fill(message, values);
}

export const I18nContext = createContext<I18n>({ locale: 'en', t: (key) => dictionaries.en[key], tx: (key, values, fallback) => translate('en', key, values, fallback), toggle: () => undefined });

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
  const value = useMemo<I18n>(() => ({ locale, t: (key) => dictionaries[locale][key], tx: (key, values, fallback) => translate(locale, key, values, fallback), toggle }), [locale, toggle]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
