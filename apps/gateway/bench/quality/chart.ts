// The report as a small SVG bar chart, written as text (no chart library): for each provider, its score
// (0..1) and its p95 latency, as two groups of bars with their values written on them. Opens in any browser.
import type { BenchReport } from './report-types.ts';
import { ACCURACY_TITLE } from './table.ts';

const WIDTH = 640;
const HEIGHT = 300;
const PANEL = { top: 56, height: 180 };
const COLOURS = { mvp: '#8c8c8c', production: '#2f6fb0' } as const;

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

interface Bar {
  label: string;
  value: number;
  text: string;
  colour: string;
}

function panel(title: string, bars: readonly Bar[], max: number, x0: number, width: number): string[] {
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(80, slot * 0.6);
  const base = PANEL.top + PANEL.height;
  const out = [`<text x="${x0 + width / 2}" y="${PANEL.top - 12}" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`];
  out.push(`<line x1="${x0}" y1="${base}" x2="${x0 + width}" y2="${base}" stroke="#444"/>`);
  bars.forEach((bar, i) => {
    const h = max > 0 ? (Math.max(0, bar.value) / max) * PANEL.height : 0;
    const x = x0 + i * slot + (slot - barWidth) / 2;
    out.push(`<rect x="${x.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${bar.colour}"/>`);
    out.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${(base - h - 4).toFixed(1)}" text-anchor="middle" font-size="12">${escapeXml(bar.text)}</text>`);
    out.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${base + 16}" text-anchor="middle" font-size="12">${escapeXml(bar.label)}</text>`);
  });
  return out;
}

export function renderSvg(report: BenchReport): string {
  const scoreName = report.component === 'stt' ? 'score (1 − WER)' : ACCURACY_TITLE[report.component];
  const scores = report.providers.map((p) => ({ label: p.provider, value: p.score, text: p.score.toFixed(3), colour: COLOURS[p.role] }));
  const maxP95 = Math.max(1, ...report.providers.map((p) => p.latencyMs.p95));
  const latencies = report.providers.map((p) => ({ label: p.provider, value: p.latencyMs.p95, text: `${Math.round(p.latencyMs.p95)} ms`, colour: COLOURS[p.role] }));
  const half = (WIDTH - 60) / 2;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="20" y="24" font-size="15" font-weight="bold">${escapeXml(`${report.benchmark} · ${report.component} · ${report.items} items`)}</text>`,
    ...panel(scoreName, scores, 1, 20, half),
    ...panel('p95 latency', latencies, maxP95 * 1.15, 40 + half, half),
    `<text x="20" y="${HEIGHT - 12}" font-size="11" fill="#555">grey: MVP · blue: production · ${escapeXml(report.startedAt)}</text>`,
    '</svg>',
  ];
  return `${lines.join('\n')}\n`;
}
