import { useContext } from 'react';
import { I18nContext, type I18n } from './I18nProvider.tsx';

export function useI18n(): I18n {
  return useContext(I18nContext);
}
