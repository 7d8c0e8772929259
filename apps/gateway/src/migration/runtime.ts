// The seam between the request path (src/public, src/proxy) and the migration state (this folder).
// The request path asks the runtime which plan and state apply and whether a provider's breaker lets a call
// through, then reports every upstream attempt; the runtime feeds breakers, sliding windows and rollups.
import type { Component, ProviderId, Route, RolloutPlan, RolloutState } from '@bascule/routing';

export type AttemptFailure = 'timeout' | 'connection' | 'reset' | 'status' | 'client';

/** One upstream attempt as the request path saw it. */
export interface AttemptRecord {
  /** When the attempt started, ms since epoch. */
  at: number;
  component: Component;
  provider: ProviderId;
  route: Route;
  latencyMs: number;
  /** False for provider failures only; a client error (bad input) is `ok: false` with failure `client`. */
  ok: boolean;
  failure?: AttemptFailure;
  status?: number;
  costEur: number;
}

/** The MVP failed and the component's candidate (production provider) served the request instead. */
export interface CandidateFallback {
  /** When the MVP attempt started, ms since epoch. */
  at: number;
  component: Component;
  mvpProvider: ProviderId;
  /** How the MVP failed. */
  failure: AttemptFailure | undefined;
}

export interface MigrationRuntime {
  /** The deployed plan of a component (from the config). */
  plan(component: Component): RolloutPlan;
  /** The component's rollout state now (weight, status, step). */
  state(component: Component): RolloutState;
  /** Whether the provider's breaker lets a request through now (reserves a probe when half-open). */
  isAvailable(provider: ProviderId): boolean;
  /**
   * Whether the provider's breaker is closed now (reserves nothing). Asked for the candidate of a live
   * component when the MVP serves the student: a healthy candidate is the MVP's fallback. Absent: never.
   */
  isHealthy?(provider: ProviderId): boolean;
  /** The candidate served a request the MVP failed: an audit event and an alert, once per outage episode. */
  candidateServedAsFallback?(o: CandidateFallback): void;
  /** Every upstream attempt: feeds the breaker, the sliding windows and the per-minute rollups. */
  recordAttempt(o: AttemptRecord): void;
  /** A student's request, by keyed hash (never the raw id), for the active-students count. */
  noteStudent?(component: Component, studentHash: string): void;
}
