import { useEffect, useMemo, useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import { AdminApiError } from '../api/adminClient.ts';
import { buildSeries, bucketFor, downsample, RANGE_MS, RANGES, type Range, type SeriesSet } from '../model/series.ts';
import type { HistoryPoint } from '../model/types.ts';
import { formatAxisTime, formatEuro, formatMs, formatNumber, formatPercent } from '../model/format.ts';
import type { ChartMarker } from '../model/markers.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { MARKER_COLOUR, TimeSeriesChart } from './TimeSeriesChart.tsx';
import { RangePicker } from './RangePicker.tsx';

const POLL_MS = 15_000;

/**
 * `stateKey` changes with the component's weight or status: the charts are fetched again then, and every
 * POLL_MS for the new minutes, not on every stream message (snapshots arrive every few seconds).
 */
export function HistoryCharts({ client, component, stateKey, markers }: { client: AdminClient; component: string; stateKey: string; markers: ChartMarker[] }) {
  const { t, locale } = useI18n();
  const formatTime = useMemo(() => (seconds: number, withDate: boolean) => formatAxisTime(seconds, locale, withDate), [locale]);
  const shared = { xRange: undefined as [number, number] | undefined, markers, formatTime };
  const [range, setRange] = useState<Range>('1h');
  const [points, setPoints] = useState<HistoryPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [satisfaction, setSatisfaction] = useState<SeriesSet | null>(null);
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
    // The users' mean rating per bucket; an older gateway without the route simply has no such chart.
    client
      .satisfaction(component, range)
      .catch(() => null)
      .then((view) => {
        if (!cancelled) setSatisfaction(view?.series ?? null);
      });
    return () => {
      cancelled = true;
    };
  }, [client, component, range, tick, stateKey, t]);

  const merged = useMemo(() => downsample(points, bucketFor(range)), [points, range]);
  const latency = useMemo(() => buildSeries(merged, ['p50Ms', 'p95Ms']), [merged]);
  const errors = useMemo(() => buildSeries(merged, ['errorRate']), [merged]);
  const share = useMemo(() => buildSeries(merged, ['share']), [merged]);
  const cost = useMemo(() => buildSeries(merged, ['cost']), [merged]);
  // The whole selected range on the time axis (seconds), up to the last fetch.
  const xRange = useMemo<[number, number]>(() => {
    const now = Date.now() / 1000;
    return [now - RANGE_MS[range] / 1000, now];
    // Recomputed with each fetch (points), so the range slides with the clock.
  }, [range, points]);

  return (
    <section aria-labelledby="history-title" className="panel" data-testid="history" data-range={range}>
      <div className="panel-head">
        <h3 id="history-title">
          {t('history')} <small className="hint">({t(`bucket_${range}`)})</small>
        </h3>
        <RangePicker value={range} options={RANGES} onChange={setRange} label={t('range')} />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="history-error">
          {error}
        </p>
      )}
      {!error && points.length === 0 && <p>{t('noData')}</p>}
      <p className="hint markers-legend">
        {t('markersLegend')}:{' '}
        {(['weight', 'rollback', 'fault'] as const).map((kind) => (
          <span key={kind} className="marker-key">
            <span aria-hidden="true" style={{ borderColor: MARKER_COLOUR[kind] }} className="marker-swatch" /> {t(`marker_${kind}`)}
          </span>
        ))}
      </p>
      <div className="charts" hidden={error !== null}>
        <TimeSeriesChart title={t('latencyChart')} data={latency} formatValue={(v) => formatMs(v, locale)} {...shared} xRange={xRange} yMinTop={100} testId="chart-latency" />
        <TimeSeriesChart title={t('errorChart')} data={errors} formatValue={(v) => formatPercent(v, locale)} {...shared} xRange={xRange} yMinTop={0.05} testId="chart-errors" />
        <TimeSeriesChart title={t('trafficChart')} data={share} formatValue={(v) => formatPercent(v, locale, 0)} {...shared} xRange={xRange} yRange={[0, 1]} stacked testId="chart-traffic" />
        <TimeSeriesChart title={t('costChart')} data={cost} formatValue={(v) => formatEuro(v, locale, 3)} {...shared} xRange={xRange} yMinTop={0.001} testId="chart-cost" />
        {satisfaction && <TimeSeriesChart title={t('satisfactionChart')} data={satisfaction} formatValue={(v) => `${formatNumber(v, locale, 1)}/10`} {...shared} xRange={xRange} yRange={[0, 10]} testId="chart-satisfaction" />}
      </div>
    </section>
  );
}
