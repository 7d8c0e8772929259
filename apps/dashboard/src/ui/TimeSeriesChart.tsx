// A uPlot chart in a React component: created once per series layout, fed new data in place, resized
// with its container. The canvas is described for screen readers by the caption and the latest values.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesSet } from '../model/series.ts';
import type { ChartMarker, MarkerKind } from '../model/markers.ts';
import { providerColour } from './palette.ts';

export interface TimeSeriesChartProps {
  title: string;
  data: SeriesSet;
  formatValue: (value: number | null) => string;
  /** The time range shown (seconds since epoch): the whole selected range, however little data it holds. */
  xRange?: [number, number];
  /** A fixed y range; otherwise from 0 to the data's maximum, and at least to `yMinTop`. */
  yRange?: [number, number];
  /** The smallest top of the y axis (e.g. 5 % for error rates), so flat zero data draws a readable axis. */
  yMinTop?: number;
  stacked?: boolean;
  testId?: string;
  /** Weight changes, rollbacks and faults, drawn as vertical lines. */
  markers?: ChartMarker[];
  /** The time axis and the legend's time, in the page's language. */
  formatTime?: (epochSeconds: number, withDate: boolean) => string;
}

export const MARKER_COLOUR: Record<MarkerKind, string> = { weight: '#1d4ed8', rollback: '#b91c1c', fault: '#b45309' };

/** Vertical lines at the markers' times, over the plot area. */
function drawMarkers(u: uPlot, markers: readonly ChartMarker[]): void {
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  for (const m of markers) {
    const x = u.valToPos(m.t, 'x', true);
    if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.strokeStyle = MARKER_COLOUR[m.kind];
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

function options(props: TimeSeriesChartProps, width: number, latest: { current: TimeSeriesChartProps }): uPlot.Options {
  return {
    width,
    height: 220,
    legend: { show: true },
    cursor: { drag: { x: true, y: false } },
    // Range functions read the latest props: the chart is created once per series layout, then fed data.
    scales: {
      x: { time: true, range: (_u, min, max) => latest.current.xRange ?? [min, max] },
      y: { range: (_u, _min, max) => latest.current.yRange ?? [0, Math.max(Number.isFinite(max) ? max * 1.1 : 0, latest.current.yMinTop ?? 0) || 1] },
    },
    axes: [
      {
        values: (u, ticks) => {
          const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
          const format = latest.current.formatTime;
          return format ? ticks.map((v) => format(v, span > 86_400)) : ticks.map(String);
        },
      },
      { values: (_u, ticks) => ticks.map((v) => props.formatValue(v)), size: 70 },
    ],
    hooks: { draw: [(u) => drawMarkers(u, latest.current.markers ?? [])] },
    series: [
      { value: (_u: uPlot, v: number | null) => (v === null ? '—' : (latest.current.formatTime?.(v, true) ?? String(v))) },
      ...props.data.series.map((s) => ({
        label: s.label,
        stroke: providerColour(s.provider),
        width: 2,
        dash: s.label.endsWith('p50') ? [6, 4] : undefined,
        fill: props.stacked ? `${providerColour(s.provider)}33` : undefined,
        value: (_u: uPlot, v: number | null) => props.formatValue(v),
        spanGaps: false,
        // A few buckets (a 7-day range on a new gateway) would draw as near-invisible specks: show the points.
        points: { show: s.values.filter((v) => v !== null).length < 12, size: 7 },
        scale: 'y',
      })),
    ],
  };
}

function toAligned(data: SeriesSet): uPlot.AlignedData {
  return [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const layout = props.data.series.map((s) => s.label).join('|');

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const chart = new uPlot(options(props, el.clientWidth || 600, propsRef), toAligned(props.data), el);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: 220 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Recreate only when the set of series changes; data updates go through setData below.
  }, [layout]);

  useEffect(() => {
    plot.current?.setData(toAligned(props.data));
  }, [props.data]);

  const markerKey = (props.markers ?? []).map((m) => `${m.kind}${m.t}`).join(',');
  useEffect(() => {
    plot.current?.redraw(false);
  }, [markerKey, props.formatTime]);

  // The latest measured value of each series (a provider may have no request in the very last bucket).
  const latest = props.data.series.map((s) => `${s.label}: ${props.formatValue(s.values.findLast((v) => v !== null) ?? null)}`).join(', ');
  return (
    <figure className="chart" data-testid={props.testId} data-points={props.data.x.length}>
      <figcaption>{props.title}</figcaption>
      <div ref={container} role="img" aria-label={`${props.title}. ${latest}`} />
    </figure>
  );
}
