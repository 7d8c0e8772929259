import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView } from '../model/types.ts';
import type { Json } from '../model/read.ts';
import { formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { useStepText } from './useStepText.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useRefetch } from '../state/useRefetch.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { StatTile } from './StatTile.tsx';
import { ProviderTable } from './ProviderTable.tsx';
import { ActionPanel } from './ActionPanel.tsx';
import { HistoryCharts } from './HistoryCharts.tsx';
import { CriteriaTable } from './CriteriaTable.tsx';
import { AlertsList } from './AlertsList.tsx';
import { AuditLog } from './AuditLog.tsx';

export interface ComponentPageProps {
  client: AdminClient;
  component: ComponentView | undefined;
  id: string;
  revision: number;
  onChanged: (summary: Json | null) => void;
}

export function ComponentPage({ client, component: c, id, revision, onChanged }: ComponentPageProps) {
  const { t, locale } = useI18n();
  const stepText = useStepText();
  const criteria = useRefetch(() => client.criteria(id), [client, id, revision]);
  const events = useRefetch(async () => (await client.events(id)).filter((e) => e.component === null || e.component === id), [client, id, revision]);
  if (!c) return <p>{t('loading')}</p>;
  return (
    <>
      <div className="page-head">
        <h2 id="page-title">{c.component}</h2>
        <StatusBadge status={c.status} />
      </div>
      <dl className="tiles">
        <StatTile label={t('weight')} value={`${formatNumber(c.weight, locale, 2)} %`} testId="component-weight" />
        <StatTile label={t('step')} value={stepText(c)} />
        <StatTile label={t('health')} value={formatNumber(c.health, locale)} />
        <StatTile label={t('p95')} value={formatMs(c.metrics.p95Ms, locale)} />
        <StatTile label={t('errorRate')} value={formatPercent(c.metrics.errorRate, locale)} />
      </dl>
      <div className="grid-2">
        <section className="panel" aria-label={t('breakers')}>
          <ProviderTable providers={c.providers} />
        </section>
        <ActionPanel client={client} component={c} onDone={onChanged} />
      </div>
      <HistoryCharts client={client} component={id} stateKey={`${c.status}|${c.weight}`} />
      <div className="grid-2">
        <CriteriaTable criteria={criteria.value} />
        <AlertsList alerts={c.alerts} />
      </div>
      {criteria.error && <p className="error">{criteria.error}</p>}
      <AuditLog events={events.value ?? []} />
      {events.error && <p className="error">{events.error}</p>}
    </>
  );
}
