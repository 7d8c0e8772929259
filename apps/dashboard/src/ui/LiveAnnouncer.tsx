// Says new critical alerts and rollbacks out loud to screen readers (an aria-live region), wherever the
// person is in the page: the first load is silent, only what changes afterwards is announced.
import { useEffect, useRef, useState } from 'react';
import type { ComponentView } from '../model/types.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { alertText } from './alertText.ts';

export function LiveAnnouncer({ components }: { components: ComponentView[] }) {
  const { tx, locale } = useI18n();
  const seen = useRef<{ alerts: Set<string>; rolledBack: Set<string> } | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const alerts = new Set(components.flatMap((c) => c.alerts.filter((a) => a.severity === 'critical').map((a) => `${c.component}|${a.id}`)));
    const rolledBack = new Set(components.filter((c) => c.status === 'rollback').map((c) => c.component));
    const before = seen.current;
    seen.current = { alerts, rolledBack };
    if (!before || components.length === 0) return;
    const said: string[] = [];
    for (const c of components) {
      if (rolledBack.has(c.component) && !before.rolledBack.has(c.component)) said.push(tx('liveRollback', { component: c.component }));
      for (const a of c.alerts) {
        if (a.severity === 'critical' && !before.alerts.has(`${c.component}|${a.id}`)) said.push(tx('liveAlert', { component: c.component, message: alertText(a, tx, locale) }));
      }
    }
    if (said.length > 0) setMessage(said.join(' '));
  }, [components, tx, locale]);

  return (
    <div className="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="live-region">
      {message}
    </div>
  );
}
