// The GO/NO-GO criteria of a component as the runbooks print them, generated from the engine's defaults
// (criteria, alert thresholds) and the config's defaults (plan steps, rollback after N evaluations), so the
// runbooks cannot drift from what the gateway judges: a test compares each runbook's block with this.
import { DEFAULT_THRESHOLDS, SATISFACTION_ALERT, defaultCriteria, type Component, type CriterionSpec } from '@bascule/routing';
import { DEFAULT_PLAN_STEPS, RolloutPlanSchema } from './config.ts';

const BEGIN = (c: Component) => `<!-- criteria:${c} (generated from the engine's defaults by scripts/criteria-tables.ts: do not edit by hand) -->`;
const END = (c: Component) => `<!-- /criteria:${c} -->`;

function target(c: CriterionSpec): string {
  if (c.id === 'accuracy_gain') return `${c.comparator} +${Math.round(c.target * 100)} points`;
  if (c.id === 'capacity') return `${c.comparator} ${Math.round(c.target * 1000) / 10} % busy at the next step's weight (self-hosted production only; see docs/capacity.md)`;
  if (c.unit === 'ratio') return `${c.comparator} ${Math.round(c.target * 1000) / 10} %`;
  if (c.unit === 'ms') return `${c.comparator} ${c.target} ms`;
  if (c.unit === 'score') return `${c.comparator} ${c.target}/10`;
  return `${c.comparator} ${c.target} €`;
}

const samplesOf = (c: CriterionSpec) => (c.id === 'satisfaction' ? "ratings (the candidate's students')" : c.id === 'quality' || c.id === 'accuracy' || c.id === 'accuracy_gain' ? 'benchmark samples' : c.id === 'capacity' ? 'service-time samples' : 'requests');

/** The block between the markers, markers included. */
export function criteriaBlock(component: Component): string {
  const rollbackAfter = RolloutPlanSchema.parse({ version: 1, steps: [{ weight: 10, duration: '1h' }], slaMs: 1000 }).rollbackAfterEvaluations;
  const steps = DEFAULT_PLAN_STEPS.map((s) => `${s.weight} % for ${s.duration}`).join(', ');
  const t = DEFAULT_THRESHOLDS;
  return [
    BEGIN(component),
    `At each step of the plan (${steps}), GO when every criterion PASSES; INCONCLUSIVE (fewer samples than the minimum) means wait; any FAIL is NO-GO.`,
    '',
    '| criterion | GO when | measured over at least |',
    '|---|---|---|',
    ...defaultCriteria(component).map((c) => `| ${c.label} (\`${c.id}\`) | ${target(c)} | ${c.minSamples} ${samplesOf(c)} |`),
    '| Production circuit breaker closed (`breaker_closed`) | closed | — |',
    '',
    `Alerts, from ${t.minRequests} requests in the 5-minute window: p95 > ${t.p95WarningMs} ms (warning), error rate > ${t.errorRateCritical * 100} % (critical), health < ${t.healthWarning} (warning); quality < ${Math.round((t.qualityWarning ?? 0.8) * 100)} % over ${t.minRequests} samples (warning, sent to the channels, and counted in the health); an open breaker is critical at any volume; user satisfaction below ${SATISFACTION_ALERT.below}/10 over the last hour, from ${SATISFACTION_ALERT.minRatings} ratings (warning). A critical alert on the production provider for ${rollbackAfter} consecutive evaluations rolls back on its own.`,
    END(component),
  ].join('\n');
}

/** The block as it stands in a runbook's text, or null when the markers are missing. */
export function criteriaBlockIn(text: string, component: Component): string | null {
  const start = text.indexOf(BEGIN(component));
  const end = text.indexOf(END(component));
  return start < 0 || end < start ? null : text.slice(start, end + END(component).length);
}

/** The runbook's text with its block regenerated (unchanged when the markers are missing). */
export function withCriteriaBlock(text: string, component: Component): string {
  const current = criteriaBlockIn(text, component);
  return current === null ? text : text.replace(current, criteriaBlock(component));
}
