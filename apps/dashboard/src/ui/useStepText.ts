// The plan step of a component in the page's language (see model/step.ts).
import { useCallback } from 'react';
import { stepText } from '../model/step.ts';
import type { ComponentView } from '../model/types.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function useStepText(): (c: ComponentView) => string {
  const { t, locale } = useI18n();
  return useCallback(
    (c: ComponentView) =>
      stepText(c, { notStarted: t('stepNotStartedAt'), of: t('stepOf'), held: t('stepHeld'), byHand: t('stepByHand'), beforeFirst: t('stepBeforeFirst'), rolledBack: t('stepRolledBack') }, locale),
    [t, locale],
  );
}
