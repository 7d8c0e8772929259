// The month's report as Markdown for a stakeholder e-mail: what it cost against the plan, what it returns,
// where each migration stands, what happened, and what comes next. Figures in euros, as the plan writes them.
import type { MonthReport } from './report-model.ts';

const eur = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '—' : `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`);
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)} %`);
const months = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 10) / 10} months`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

export function renderMarkdown(r: MonthReport): string {
  const m = r.measured;
  const p = r.plan;
  const lines: string[] = [];
  lines.push(`# Bascule — ${monthName(r.month)} report`, '');
  lines.push(`_Figures as of ${r.at}._`, '', '## Summary', '');
  lines.push(`- **Cost recorded this month:** ${eur(m.costEur, 2)} over ${m.requests.toLocaleString('en-GB')} requests.`);
  if (m.projectedEur !== null && p) {
    const diff = m.versusBaseline === null ? '' : ` — ${pct(m.versusBaseline)} of the ${eur(p.baseline.monthlyEur)} baseline (${m.versusBaseline <= 1 ? '−' : '+'}${pct(Math.abs(1 - m.versusBaseline))})`;
    lines.push(`- **Projected for the month:** ${eur(m.projectedEur)}${diff}.`);
  } else lines.push('- **Projected for the month:** not yet (less than an hour of traffic recorded).');
  if (p) lines.push(`- **The plan:** ${eur(p.baseline.monthlyEur)} a month on the paid APIs, ${eur(p.production.monthlyEur)} once migrated: ${eur(p.savedMonthlyEur)} saved a month (${pct(p.ratio)}), the ${eur(p.oneTimeEur)} one-time cost repaid in ${months(p.breakEvenMonths)}.`);
  const inMigration = r.migrations.filter((x) => x.status === 'migrating');
  const rolledBack = r.migrations.filter((x) => x.status === 'rollback');
  lines.push(`- **Migrations:** ${r.migrations.filter((x) => x.status === 'production').length} in production, ${inMigration.length} migrating${rolledBack.length ? `, ${rolledBack.length} rolled back (${rolledBack.map((x) => x.component).join(', ')})` : ''}.`);
  lines.push('');

  if (p) {
    lines.push('## Costs against the plan', '');
    lines.push('| | this month | plan (this config) | plan (published) |', '|---|---:|---:|---:|');
    lines.push(`| Monthly cost | ${eur(m.projectedEur)} projected | ${eur(p.production.monthlyEur)} migrated | ${eur(p.published.productionMonthlyEur)} |`);
    lines.push(`| Baseline (all on the paid APIs) | ${eur(p.baseline.monthlyEur)} | ${eur(p.baseline.monthlyEur)} | ${eur(p.published.baselineMonthlyEur)} |`);
    lines.push(`| Saved a month | ${eur(m.savedEur)} | ${eur(p.savedMonthlyEur)} | ${eur(p.published.savedMonthlyEur)} |`);
    lines.push(`| Versus the baseline | ${pct(m.versusBaseline)} | ${pct(p.production.monthlyEur / p.baseline.monthlyEur)} | ${pct(p.published.productionMonthlyEur / p.published.baselineMonthlyEur)} |`);
    lines.push(`| One-time cost | | ${eur(p.oneTimeEur)} | ${eur(p.published.oneTimeEur)} |`);
    lines.push(`| Break-even | ${months(m.breakEvenMonths)} | ${months(p.breakEvenMonths)} | ${months(p.published.breakEvenMonths)} |`);
    lines.push('', 'Baseline by provider: ' + p.baseline.byProvider.map((l) => `${l.provider} ${eur(l.eur)}`).join(', ') + '. Production: ' + p.production.byProvider.filter((l) => l.eur > 0).map((l) => `${l.provider} ${eur(l.eur)}`).concat([`the VPS ${eur(p.production.fixedEur)}`]).join(', ') + '.', '');
    lines.push('Recorded this month by component:', '');
    lines.push('| component | requests | cost |', '|---|---:|---:|');
    for (const c of m.byComponent) lines.push(`| ${c.component} | ${c.requests.toLocaleString('en-GB')} | ${eur(c.costEur, 2)} |`);
    lines.push('');

    lines.push('## Return on the migration', '');
    const published = [p.published.yearly.year1Eur, p.published.yearly.year2Eur];
    lines.push('| year | net | since the switch | how | plan |', '|---|---:|---:|---|---:|');
    for (const y of p.years) {
      const planned = y.year <= 2 ? eur(published[y.year - 1]) : `${eur(p.published.yearly.afterThreeYearsEur)} in all`;
      lines.push(`| ${y.year} | ${eur(y.netEur)} | ${eur(y.cumulativeEur)} | ${cell(y.arithmetic)} | ${planned} |`);
    }
    lines.push('', '## As the school grows', '');
    lines.push('| students | paid APIs | migrated | saved a month | how | plan |', '|---:|---:|---:|---:|---|---:|');
    for (const s of p.scale) {
      const planned = p.published.savedAtScale.find((x) => x.students === s.students);
      lines.push(`| ${s.students.toLocaleString('en-GB')} | ${eur(s.mvpMonthlyEur)} | ${eur(s.productionMonthlyEur)} | ${eur(s.savedMonthlyEur)} | ${cell(s.arithmetic)} | ${eur(planned?.savedMonthlyEur)} |`);
    }
    lines.push('');
  }

  lines.push('## Where each migration stands', '');
  lines.push('| component | status | weight | step | GO/NO-GO | open alerts |', '|---|---|---:|---|---|---|');
  for (const x of r.migrations) {
    const why = x.failing.length ? ` (failing: ${x.failing.join(', ')})` : '';
    lines.push(`| ${x.component} | ${x.status} | ${x.weight} % | ${x.step} | ${x.verdict}${cell(why)} | ${x.alerts.length ? cell(x.alerts.join('; ')) : 'none'} |`);
  }
  lines.push('', `## What happened in ${monthName(r.month)}`, '');
  if (r.history.length === 0) lines.push('No change of weight or status this month.');
  for (const h of r.history) lines.push(`- ${h.at.slice(0, 16).replace('T', ' ')} — **${h.component}** ${h.action} ${h.from} → ${h.to} % by ${h.actor}: ${h.reason}`);
  lines.push('', '## Next', '');
  for (const x of r.migrations) {
    if (x.status === 'rollback') lines.push(`- ${x.component}: rolled back; resumes once its cause is fixed.`);
    else if (x.status === 'migrating') lines.push(`- ${x.component}: at ${x.weight} %; ${x.verdict === 'GO' ? 'the next step once its minimum time has passed' : 'held until its criteria say GO'}.`);
  }
  if (!r.migrations.some((x) => x.status === 'rollback' || x.status === 'migrating')) lines.push('- No migration in progress.');
  lines.push('');
  return lines.join('\n');
}
