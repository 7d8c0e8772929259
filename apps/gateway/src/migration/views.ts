// The admin API's shapes (libs/contracts) built from the engine's values: ISO times, string ids.
import type { AdminAlert, AdminAuditEvent, ComponentSummary, CriteriaResponse, MetricsStreamPayload, WindowMetrics } from './view-types.ts';
import { gateBlockers, healthScore, minimumTimeLeft, type Component, type ProviderId, type RolloutPlan, type TrackedAlert, type WindowStats } from '@bascule/routing';
import type { HostHealth } from '@bascule/contracts';
import type { StoredAuditEvent } from '../store/index.ts';
import type { Analysis, Snapshots } from './snapshots.ts';
import type { RoutingRuntime } from './runtime.ts';

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
    private readonly snapshots: Snapshots,
    private readonly windowMs: number,
    /** A provider's hosts' health (adapters/hosts.ts); absent: no `hosts` in the views. */
    private readonly hostHealth?: (provider: ProviderId) => HostHealth[] | undefined,
  ) {}

  /** Every figure from one snapshot (`evaluatedAt`): alerts, providers, health, criteria and gates agree. */
  async summary(component: Component, now: number): Promise<ComponentSummary> {
    const plan = this.runtime.plan(component);
    const a = await this.snapshots.current(plan, now);
    const state = this.runtime.state(component);
    const gateInput = { evaluation: a.evaluation, alerts: a.alerts, now: a.at };
    return {
      component,
      status: state.status,
      weight: state.weight,
      step: state.step,
      plan: { version: plan.version, steps: plan.steps.map((s) => ({ ...s })), autoPromote: plan.autoPromote },
      stepStartedAt: state.stepStartedAt === null ? null : iso(state.stepStartedAt),
      providers: this.providerViews(plan, a),
      health: healthScore(a.windows.production, plan.thresholds, a.quality),
      metrics: { ...windowMetrics(a.windows.all, this.windowMs), mvpCostPerRequestEur: a.mvpCostPerRequestEur },
      alerts: [...a.alerts.map(alertView), ...this.runtime.fallbackEpisodes.alerts(component, now)],
      activeStudents: this.runtime.students.count(component, now),
      evaluatedAt: iso(a.at),
      analysis: {
        startedAt: a.streakAnalysisStartedAt === null ? null : iso(a.streakAnalysisStartedAt),
        failingEvaluations: a.criticalStreak,
        rollbackAfter: plan.rollbackAfterEvaluations,
        lastDecision: a.lastDecision,
      },
      stepTime: minimumTimeLeft(plan, state, a.at),
      verdict: a.evaluation.verdict,
      criteria: a.evaluation.criteria.map((c) => ({ ...c })),
      gates: {
        promote: state.status === 'migrating' || state.status === 'mvp' ? gateBlockers(plan, state, 'promote', gateInput) : [],
        raise: state.status === 'rollback' || state.weight >= 100 ? [] : gateBlockers(plan, state, 'set-weight', gateInput, state.weight + 0.01),
      },
      ...(a.capacity === undefined ? {} : { capacity: a.capacity }),
    };
  }

  /** The snapshot again, for the stream: measurements, alerts, analysis, verdict and gates, all at `at`. */
  async metricsPayload(component: Component, now: number): Promise<MetricsStreamPayload> {
    const { metrics, providers, health, alerts, evaluatedAt, analysis, stepTime, verdict, criteria, gates, capacity } = await this.summary(component, now);
    return { component, at: evaluatedAt!, metrics, providers, health, alerts, evaluatedAt, analysis, stepTime, verdict, criteria, gates, ...(capacity ? { capacity } : {}) };
  }

  /** The snapshot's verdict, and the criteria's history (in memory, see criteria-history.ts). */
  async criteria(component: Component, now: number): Promise<CriteriaResponse> {
    const plan = this.runtime.plan(component);
    const a = await this.snapshots.current(plan, now);
    return {
      component,
      provider: plan.productionProvider,
      step: this.runtime.state(component).step,
      criteria: a.evaluation.criteria.map((c) => ({ ...c })),
      verdict: a.evaluation.verdict,
      evaluatedAt: iso(a.at),
      history: this.snapshots.history.of(component).map((p) => ({ at: iso(p.at), verdict: p.verdict, criteria: p.criteria })),
    };
  }

  private providerViews(plan: RolloutPlan, a: Analysis): ComponentSummary['providers'] {
    const view = (id: ProviderId, stats: WindowStats, breaker: Analysis['breakers']['production']) => {
      const hosts = this.hostHealth?.(id);
      return { id, breaker, metrics: windowMetrics(stats, this.windowMs), ...(hosts ? { hosts } : {}) };
    };
    return { production: view(plan.productionProvider, a.windows.production, a.breakers.production), mvp: view(plan.mvpProvider, a.windows.mvp, a.breakers.mvp) };
  }
}
