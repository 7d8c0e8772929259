// The report as a text table a person reads in a terminal: one row per provider, then the items that went
// wrong (at most `maxMisses`), so a bad score comes with its examples.
import type { BenchReport, ProviderSummary } from './report-types.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ms = (x: number) => `${Math.round(x)} ms`;
/** Per 1000 requests: a single request of a paid API costs a fraction of a cent. */
const eurPer1000 = (x: number) => `${(x * 1000).toFixed(3)} €`;

/** What "right" means per component: letters read, audio that passes the format checks, answers that hold every property. */
export const ACCURACY_TITLE: Readonly<Record<BenchReport['component'], string>> = { stt: 'exact', vision: 'accuracy', tts: 'sane audio', llm: 'checks held' };

function columns(report: BenchReport): { title: string; cell: (p: ProviderSummary) => string }[] {
  const stt = report.component === 'stt';
  return [
    { title: 'provider', cell: (p) => p.provider },
    { title: 'role', cell: (p) => p.role },
    { title: 'items', cell: (p) => String(p.items) },
    { title: 'errors', cell: (p) => String(p.errors) },
    ...(stt
      ? [
          { title: 'WER', cell: (p: ProviderSummary) => pct(p.wer ?? 0) },
          { title: 'CER', cell: (p: ProviderSummary) => pct(p.cer ?? 0) },
          { title: 'exact', cell: (p: ProviderSummary) => pct(p.accuracy) },
        ]
      : [{ title: ACCURACY_TITLE[report.component], cell: (p: ProviderSummary) => pct(p.accuracy) }]),
    { title: 'score', cell: (p) => p.score.toFixed(3) },
    { title: 'p50', cell: (p) => ms(p.latencyMs.p50) },
    { title: 'p95', cell: (p) => ms(p.latencyMs.p95) },
    { title: 'cost/1000 req', cell: (p) => eurPer1000(p.costPerRequestEur) },
  ];
}

export function formatTable(report: BenchReport, maxMisses = 10): string {
  const cols = columns(report);
  const rows = [cols.map((c) => c.title), ...report.providers.map((p) => cols.map((c) => c.cell(p)))];
  const widths = cols.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [
    `${report.benchmark} · ${report.component} · ${report.items} items a provider · ${(report.durationMs / 1000).toFixed(1)} s`,
    '',
    line(rows[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(line),
  ];
  const misses = report.results.filter((r) => !r.correct);
  if (misses.length > 0) {
    out.push('', `wrong answers (${misses.length}${misses.length > maxMisses ? `, first ${maxMisses}` : ''}):`);
    for (const m of misses.slice(0, maxMisses)) out.push(`  ${m.provider.padEnd(15)} ${m.id.padEnd(10)} expected "${m.expected}" got "${m.answer}"${m.note ? ` (${m.note})` : ''}`);
  }
  return out.join('\n');
}
