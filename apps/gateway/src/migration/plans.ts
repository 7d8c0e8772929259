// From the config file's components to the engine's rollout plans (criteria and alert thresholds are the
// design's defaults for the component, plus user satisfaction where the plan opts in).
import { COMPONENTS, DEFAULT_THRESHOLDS, defaultPlan, satisfactionCriterion, type Component, type RolloutPlan } from '@bascule/routing';
import type { GatewayConfig } from '@bascule/contracts';

export function plansFromConfig(config: GatewayConfig): Map<Component, RolloutPlan> {
  const plans = new Map<Component, RolloutPlan>();
  for (const component of COMPONENTS) {
    const c = config.components[component];
    if (!c) continue;
    const plan = defaultPlan(component, {
      version: c.plan.version,
      productionProvider: c.production,
      mvpProvider: c.mvp,
      slaMs: c.plan.slaMs,
      steps: c.plan.steps.map((s) => ({ weight: s.weight, minDurationMs: s.minDurationMs })),
      autoPromote: c.plan.autoPromote,
      rollbackAfterEvaluations: c.plan.rollbackAfterEvaluations,
      ...(c.plan.qualityWarning === undefined ? {} : { thresholds: { ...DEFAULT_THRESHOLDS, qualityWarning: c.plan.qualityWarning } }),
    });
    // Opt-in: an app that posts no ratings must not hold every step waiting for them.
    if (c.plan.satisfactionCriterion) plan.criteria.push(satisfactionCriterion());
    plans.set(component, plan);
  }
  return plans;
}
