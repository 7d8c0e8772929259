// The component's quality: the shadow comparison's agreement over time per provider (a chart), the latest
// benchmark results (a table) and, for `tts`, the listening-test form. Read from `GET …/quality`, again every
// POLL_MS (the shadow rows are written once a minute) and after a listening test is recorded.
import { useEffect, useMemo, useState } from 'react';
import type { AdminClient } from '../api/adminClient.ts';
import { AGREEMENT, agreementSeries, agreementSummary, latestBenchmarks } from '../model/quality.ts';
import { bucketFor, RANGE_MS, RANGES, type Range } from '../model/series.ts';
import { formatAxisTime, formatNumber, formatPercent, formatTime } from '../model/format.ts';
import { useI18n } from '../i18n/useI18n.ts';
import { useRefetch } from '../state/useRefetch.ts';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';
import { RangePicker } from './RangePicker.tsx';
import { ScrollTable } from './ScrollTable.tsx';
import { ListeningTestForm } from './ListeningTestForm.tsx';

const POLL_MS = 30_000;

export interface QualityPanelProps {
  client: AdminClient;
  component: string;
  /** The self-hosted provider first, then the paid one. */
  providers: string[];
}

export function QualityPanel({ client, component, providers }: QualityPanelProps) {
  const { t, tx, locale } = useI18n();
  const [range, setRange] = useState<Range>('48h');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  // Two reads: the agreement already merged per chart point by the gateway, and the benchmarks without the
  // shadow rows (thousands a day), so neither is crowded out by the other.
  const agreement = useRefetch(() => client.quality(component, RANGE_MS[range], { benchmark: AGREEMENT, bucketMs: bucketFor(range) }), [client, component, range, tick]);
  const benchmarks = useRefetch(() => client.quality(component, RANGE_MS[range], 'benchmarks'), [client, component, range, tick]);
  const view = agreement.value;
  const series = useMemo(() => (view ? agreementSeries(view, bucketFor(range)) : { x: [], series: [] }), [view, range]);
  const summary = view ? agreementSummary(view) : [];
  const rows = benchmarks.value ? latestBenchmarks(benchmarks.value) : [];
  const error = agreement.error ?? benchmarks.error;
  const formatAxis = useMemo(() => (seconds: number, withDate: boolean) => formatAxisTime(seconds, locale, withDate), [locale]);
  const xRange = useMemo<[number, number]>(() => {
    const now = Date.now() / 1000;
    return [now - RANGE_MS[range] / 1000, now];
    // Slides with each fetch.
  }, [range, view]);

  return (
    <section aria-labelledby="quality-title" className="panel" data-testid="quality">
      <div className="panel-head">
        <h3 id="quality-title">{t('quality')}</h3>
        <RangePicker value={range} options={RANGES} onChange={setRange} label={`${t('range')} · ${t('quality')}`} name="quality-range" />
      </div>
      <p className="hint">{t('qualityHint')}</p>
      {error && (
        <p className="error" role="alert" data-testid="quality-error">
          {error}
        </p>
      )}
      {(view?.truncated || benchmarks.value?.truncated) && <p className="hint">{t('qualityTruncated')}</p>}
      {series.x.length === 0 ? (
        <p data-testid="agreement-none">{t('agreementNone')}</p>
      ) : (
        <>
          <TimeSeriesChart title={t('agreementChart')} data={series} formatValue={(v) => formatPercent(v, locale)} xRange={xRange} yRange={[0, 1]} formatTime={formatAxis} testId="chart-agreement" />
          <ul className="hint" data-testid="agreement-summary">
            {summary.map((s) => (
              <li key={s.provider}>{tx('agreementSummary', { provider: s.provider, score: formatPercent(s.score, locale), samples: formatNumber(s.samples, locale) })}</li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('benchmarks')}</h4>
      {rows.length === 0 ? (
        <p className="hint" data-testid="benchmarks-none">
          {t('benchmarksNone')}
        </p>
      ) : (
        <ScrollTable name={t('benchmarks')}>
          <table data-testid="benchmarks">
            <thead>
              <tr>
                <th scope="col">{t('benchmark')}</th>
                <th scope="col">{t('provider')}</th>
                <th scope="col">{t('score')}</th>
                <th scope="col">{t('samples')}</th>
                <th scope="col">{t('recordedAt')}</th>
                <th scope="col">{t('note')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.provider}|${r.benchmark}`} data-benchmark={r.benchmark} data-provider={r.provider}>
                  <th scope="row">{r.benchmark}</th>
                  <td>{r.provider}</td>
                  <td>{formatPercent(r.score, locale)}</td>
                  <td>{formatNumber(r.samples, locale)}</td>
                  <td>
                    <time dateTime={r.at}>{formatTime(r.at, locale)}</time>
                  </td>
                  <td>{r.note ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {component === 'tts' && <ListeningTestForm client={client} component={component} providers={providers} onRecorded={() => setTick((n) => n + 1)} />}
    </section>
  );
}
