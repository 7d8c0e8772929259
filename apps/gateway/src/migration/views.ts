// The admin API's shapes (libs/contracts) built from the engine's values: ISO times, string ids.
import type { AdminAlert, AdminAuditEvent, ComponentSummary, CriteriaResponse, MetricsStreamPayload, WindowMetrics } from './view-types.ts';
import { healthScore, type Component, type RolloutPlan, type TrackedAlert, type WindowStats } from '@bascule/routing';
import type { StoredAuditEvent } from '../store/index.ts';
import type { Analysis } from './analysis-loop.ts';
import type { RoutingRuntime } from './runtime.ts';
import type { WindowReader, Windows } from './windows.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function windowMetrics(stats: WindowStats, windowMs: number): WindowMetrics {
  return { windowMs, ...stats };
}

export function alertView(a: TrackedAlert): AdminAlert {
  return {
    id: a.id,
    severity: a.severity,
    metric: a.metric,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    provider: a.provider,
    since: iso(a.since),
    evaluations: a.evaluations,
  };
}

export function eventView(e: StoredAuditEvent): AdminAuditEvent {
  return { id: String(e.id), at: iso(e.at), component: e.component, actor: e.actor, action: e.action, reason: e.reason, from: e.from, to: e.to };
}

export type { ComponentSummary };

/**
 * The admin API's views of a component: its summary, the metrics snapshot the stream sends, and the GO/NO-GO
 * criteria. Read from the stored minutes of every replica plus this one's unflushed ones; alerts are the
 * analysis loop's (the lease holder's).
 */
export class Views {
  constructor(
    private readonly runtime: RoutingRuntime,
    private readonly windows: WindowReader,
    private readonly analyses: ReadonlyMap<Component, Analysis>,
    private readonly windowMs: number,
  ) {}

  async summary(component: Component, now: number): Promise<ComponentSummary> {
    const plan = this.runtime.plan(component);
    const state = this.runtime.state(component);
    const w = await this.windows.windows(plan, now);
    return {
      component,
      status: state.status,
      weight: state.weight,
      step: state.step,
      plan: { version: plan.version, steps: plan.steps.map((s) => ({ ...s })), autoPromote: plan.autoPromote },
      stepStartedAt: state.stepStartedAt === null ? null : iso(state.stepStartedAt),
      providers: this.providerViews(plan, w),
      health: healthScore(w.production, plan.thresholds),
      metrics: await this.componentMetrics(plan, w, now),
      alerts: (this.analyses.get(component)?.alerts ?? []).map(alertView),
      activeStudents: this.runtime.students.count(component, now),
    };
  }

  async metricsPayload(component: Component, now: number): Promise<MetricsStreamPayload> {
    const plan = this.runtime.plan(component);
    const w = await this.windows.windows(plan, now);
    return { component, at: iso(now), metrics: await this.componentMetrics(plan, w, now), providers: this.providerViews(plan, w), health: healthScore(w.production, plan.thresholds) };
  }

  async criteria(component: Component, now: number): Promise<CriteriaResponse> {
    const plan = this.runtime.plan(component);
    const { evaluation } = await this.windows.evaluate(plan, now);
    return {
      component,
      provider: plan.productionProvider,
      step: this.runtime.state(component).step,
      criteria: evaluation.criteria.map((c) => ({ ...c })),
      verdict: evaluation.verdict,
      evaluatedAt: iso(now),
    };
  }

  /**
   * The short window of all the component's requests, and the MVP cost reference the criteria use: the last
   * analysis's (every few seconds), so a view polled every second does not re-read the step from the store.
   */
  private async componentMetrics(plan: RolloutPlan, w: Windows, now: number): Promise<ComponentSummary['metrics']> {
    const analysis = this.analyses.get(plan.component);
    const mvpCostPerRequestEur = analysis ? analysis.mvpCostPerRequestEur : this.windows.mvpCost(plan, await this.windows.stepWindow(plan, now));
    return { ...windowMetrics(w.all, this.windowMs), mvpCostPerRequestEur };
  }

  private providerViews(plan: RolloutPlan, w: { production: WindowStats; mvp: WindowStats }): ComponentSummary['providers'] {
    return {
      production: { id: plan.productionProvider, breaker: this.runtime.breakerState(plan.productionProvider).state, metrics: windowMetrics(w.production, this.windowMs) },
      mvp: { id: plan.mvpProvider, breaker: this.runtime.breakerState(plan.mvpProvider).state, metrics: windowMetrics(w.mvp, this.windowMs) },
    };
  }
}
