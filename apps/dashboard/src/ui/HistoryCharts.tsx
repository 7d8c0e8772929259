import { useEffect, useMemo, useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import { AdminApiError } from '../api/adminClient.ts';
import { buildSeries, bucketFor, downsample, RANGES, type Range } from '../model/series.ts';
import type { HistoryPoint } from '../model/types.ts';
import { formatEuro, formatMs, formatPercent } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';
import { RangePicker } from './RangePicker.tsx';

const POLL_MS = 15_000;

export function HistoryCharts({ client, component, revision }: { client: AdminClient; component: string; revision: number }) {
  const { t, locale } = useI18n();
  const [range, setRange] = useState<Range>('1h');
  const [points, setPoints] = useState<HistoryPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let cancelled = false;
    client
      .history(component, range)
      .then((p) => {
        if (cancelled) return;
        setPoints(p);
        setError(null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof AdminApiError && e.status === 404 ? t('historyMissing') : e instanceof Error ? e.message : String(e));
      });
    return () => {
      cancelled = true;
    };
    // Refetched on a change of state (weight, status, alert), and every POLL_MS for the new minutes.
  }, [client, component, range, tick, revision, t]);

  const merged = useMemo(() => downsample(points, bucketFor(range)), [points, range]);
  const latency = useMemo(() => buildSeries(merged, ['p50Ms', 'p95Ms']), [merged]);
  const errors = useMemo(() => buildSeries(merged, ['errorRate']), [merged]);
  const share = useMemo(() => buildSeries(merged, ['share']), [merged]);
  const cost = useMemo(() => buildSeries(merged, ['cost']), [merged]);

  return (
    <section aria-labelledby="history-title" className="panel">
      <div className="panel-head">
        <h3 id="history-title">{t('history')}</h3>
        <RangePicker value={range} options={RANGES} onChange={setRange} label={t('range')} />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="history-error">
          {error}
        </p>
      )}
      {!error && points.length === 0 && <p>{t('noData')}</p>}
      <div className="charts" hidden={error !== null}>
        <TimeSeriesChart title={t('latencyChart')} data={latency} formatValue={(v) => formatMs(v, locale)} testId="chart-latency" />
        <TimeSeriesChart title={t('errorChart')} data={errors} formatValue={(v) => formatPercent(v, locale)} testId="chart-errors" />
        <TimeSeriesChart title={t('trafficChart')} data={share} formatValue={(v) => formatPercent(v, locale, 0)} yRange={[0, 1]} stacked testId="chart-traffic" />
        <TimeSeriesChart title={t('costChart')} data={cost} formatValue={(v) => formatEuro(v, locale, 3)} testId="chart-cost" />
      </div>
    </section>
  );
}
