// A table that scrolls sideways on a phone: the scrolling region is focusable and named, so a keyboard user
// can scroll it and a screen reader says what it is (axe: scrollable-region-focusable).
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/useI18n.ts';

export function ScrollTable({ name, children }: { name: string; children: ReactNode }) {
  const { tx } = useI18n();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={tx('tableRegion', { name })}>
      {children}
    </div>
  );
}
