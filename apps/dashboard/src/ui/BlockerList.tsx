// What blocks a gated action, in the page's language (the gateway's own message for a code it does not know).
import type { BlockerView, ComponentView } from '../model/types.ts';
import { formatDuration } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';

export function BlockerList({ blockers, component: c }: { blockers: BlockerView[]; component: ComponentView }) {
  const { t, tx, locale } = useI18n();
  if (blockers.length === 0) return <p data-testid="blockers">{t('blockedNone')}</p>;
  const time = c.plan.stepTime;
  return (
    <ul className="blockers" data-testid="blockers">
      {blockers.map((b) => (
        <li key={b.code + b.message} data-code={b.code}>
          {tx(`blocker_${b.code}`, { verdict: c.plan.verdict ?? '?', held: formatDuration(time?.heldMs ?? null, locale), min: formatDuration(time?.minMs ?? null, locale), message: b.message }, b.message)}
        </li>
      ))}
    </ul>
  );
}
