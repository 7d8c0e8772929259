import type { AdminClient } from '../api/adminClient.ts';
import type { ComponentView } from '../model/types.ts';
import type { Json } from '../model/read.ts';
import type { ConnectionState } from '../live/reconnect.ts';
import { formatClock, formatMs, formatNumber, formatPercent } from '../model/format.ts';
import { healthLevel } from '../model/overview.ts';
import { chartMarkers } from '../model/markers.ts';
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
import { PlanPanel } from './PlanPanel.tsx';
import { CapacityPanel } from './CapacityPanel.tsx';
import { satisfactionTone } from '../model/satisfaction.ts';
import { QualityPanel } from './QualityPanel.tsx';

export interface ComponentPageProps {
  client: AdminClient;
  component: ComponentView | undefined;
  id: string;
  /** The components the gateway has (empty while loading): an unknown id is said, not loaded forever. */
  known: string[];
  connection: ConnectionState;
  revision: number;
  onChanged: (summary: Json | null) => void;
}

export function ComponentPage({ client, component: c, id, known, connection, revision, onChanged }: ComponentPageProps) {
  const { t, tx, locale } = useI18n();
  const stepText = useStepText();
  const exists = known.includes(id);
  // Only the criteria's history comes from another call; every figure shown is the summary's snapshot.
  const criteria = useRefetch(async () => (exists ? client.criteria(id) : null), [client, id, revision, exists]);
  // Ratings come in all the time: read again with each new evaluation of the component, not only on changes.
  const satisfaction = useRefetch(async () => (exists ? client.satisfaction(id) : null), [client, id, revision, exists, c?.plan.evaluatedAt]);
  const events = useRefetch(async () => (exists ? (await client.events(id)).filter((e) => e.component === null || e.component === id) : []), [client, id, revision, exists]);
  if (!c) {
    if (known.length > 0 && !exists) return <p role="alert" data-testid="unknown-component">{tx('unknownComponent', { id, list: known.join(', ') })}</p>;
    return <p>{t('loading')}</p>;
  }
  const stale = connection.kind !== 'live';
  return (
    <>
      <div className="page-head">
        <h2 id="page-title">{c.component}</h2>
        <StatusBadge status={c.status} />
        {c.plan.evaluatedAt && (
          <p className={`as-of ${stale ? 'stale' : ''}`} data-testid="evaluated-at" data-at={c.plan.evaluatedAt}>
            {tx('evaluatedAt', { time: formatClock(c.plan.evaluatedAt, locale) })}
            {stale && <strong data-testid="stale"> · {t('stale')}</strong>}
          </p>
        )}
      </div>
      <dl className="tiles">
        <StatTile label={t('weight')} value={`${formatNumber(c.weight, locale, 2)} %`} testId="component-weight" />
        <StatTile label={t('step')} value={stepText(c)} testId="component-step" />
        <StatTile label={t('health')} value={c.health === null ? '—' : `${formatNumber(c.health, locale)} / 100`} tone={healthLevel(c.health) === 'good' ? 'good' : healthLevel(c.health) === 'unknown' ? undefined : 'bad'} testId="component-health" />
        <StatTile label={t('p95')} value={formatMs(c.metrics.p95Ms, locale)} />
        <StatTile label={t('errorRate')} value={formatPercent(c.metrics.errorRate, locale)} />
        <StatTile
          label={t('satisfaction')}
          value={satisfaction.value?.mean == null ? '—' : tx('satisfactionValue', { mean: formatNumber(satisfaction.value.mean, locale, 1), nps: formatNumber(satisfaction.value.nps, locale, 0), n: String(satisfaction.value.ratings) })}
          tone={satisfactionTone(satisfaction.value ?? null)}
          testId="component-satisfaction"
        />
      </dl>
      <div className="grid-2">
        <PlanPanel component={c} />
        <ActionPanel client={client} component={c} onDone={onChanged} />
      </div>
      <section className="panel" aria-label={t('breakers')}>
        <ProviderTable providers={c.providers} />
      </section>
      {c.capacity && <CapacityPanel capacity={c.capacity} />}
      <HistoryCharts client={client} component={id} stateKey={`${c.status}|${c.weight}`} markers={chartMarkers(events.value ?? [], c.alerts)} />
      <div className="grid-2">
        <CriteriaTable verdict={c.plan.verdict} criteria={c.plan.criteria} provider={c.providers.find((p) => p.role === 'production')?.id ?? null} history={criteria.value?.history ?? []} />
        <AlertsList alerts={c.alerts} />
      </div>
      {criteria.error && <p className="error">{criteria.error}</p>}
      <QualityPanel client={client} component={id} providers={['production', 'mvp'].flatMap((role) => c.providers.filter((p) => p.role === role).map((p) => p.id))} />
      <AuditLog events={events.value ?? []} />
      {events.error && <p className="error">{events.error}</p>}
    </>
  );
}
