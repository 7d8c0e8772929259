import { useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView } from '../model/types.ts';
import type { Json } from '../model/read.ts';
import { availableActions, type ActionKind } from '../model/actions.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { ActionDialog } from './ActionDialog.tsx';

export function ActionPanel({ client, component, onDone }: { client: AdminClient; component: ComponentView; onDone: (summary: Json | null) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<ActionKind | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="actions-title" className="panel">
      <h3 id="actions-title">{t('actions')}</h3>
      <div className="buttons">
        {availableActions(component).map((kind) => (
          <button key={kind} type="button" className={kind === 'rollback' ? 'danger' : ''} onClick={() => setOpen(kind)} data-testid={`action-${kind}`}>
            {t(`action_${kind}`)}
          </button>
        ))}
      </div>
      <p role="status" className="hint">
        {done}
      </p>
      {open && (
        <ActionDialog
          component={component}
          kind={open}
          onClose={() => setOpen(null)}
          onSubmit={async (reason, weight, override) => {
            const summary = await client.act(component.component, open, reason, weight, override);
            setDone(`${t(`action_${open}`)}: ${t('applied')}`);
            onDone(summary);
          }}
        />
      )}
    </section>
  );
}
