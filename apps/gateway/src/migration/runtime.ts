// The seam between the request path (src/public, src/proxy) and the migration state (this folder).
// The request path asks the runtime which plan and state apply and whether a provider's breaker lets a call
// through, then reports every upstream attempt; the runtime feeds breakers, sliding windows and rollups.
import type { BreakerRegistry, Clock, Component, ProviderId, RollupRoute, RolloutPlan, RolloutState } from '@bascule/routing';
import type { VersionedState } from '../store/index.ts';
import type { ActiveStudents } from './active-students.ts';
import { CandidateFallbackEpisodes, type Episode } from './candidate-fallback.ts';
import type { RollupBuffer } from './rollup-buffer.ts';

export type AttemptFailure = 'timeout' | 'connection' | 'reset' | 'status' | 'client';

/** One upstream attempt as the request path saw it. */
export interface AttemptRecord {
  /** When the attempt started, ms since epoch. */
  at: number;
  component: Component;
  provider: ProviderId;
  /** `shadow` for the shadow comparison's calls (recordShadow), never for a student's request. */
  route: RollupRoute;
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
  /**
   * A shadow comparison's call to the production provider (route `shadow`): into the rollups for its cost,
   * never into the breaker (a shadow failure changes no student's route). Absent: not counted.
   */
  recordShadow?(o: AttemptRecord): void;
}

/**
 * The request path's side of the runtime: plans, the state each component routes with (and its stored
 * revision), one breaker per provider (local to this replica), the unflushed rollups and the active
 * students. Every call is synchronous and in memory; the store is never awaited here.
 */
export class RoutingRuntime implements MigrationRuntime {
  private readonly states = new Map<Component, VersionedState>();
  /** MVP outages during which the candidate served as its fallback (their alerts are in the views). */
  readonly fallbackEpisodes = new CandidateFallbackEpisodes();
  /** Told when such an outage starts (the audit event is written off the request path). */
  onCandidateFallback: ((episode: Episode, o: CandidateFallback) => void) | null = null;

  constructor(
    private readonly plans: Map<Component, RolloutPlan>,
    readonly breakers: BreakerRegistry,
    readonly rollups: RollupBuffer,
    readonly students: ActiveStudents,
    private readonly clock: Clock,
  ) {}

  components(): Component[] {
    return [...this.plans.keys()];
  }

  has(component: string): component is Component {
    return this.plans.has(component as Component);
  }

  plan(component: Component): RolloutPlan {
    const plan = this.plans.get(component);
    if (!plan) throw new RangeError(`component ${component} is not configured`);
    return plan;
  }

  state(component: Component): RolloutState {
    return this.versioned(component).state;
  }

  versioned(component: Component): VersionedState {
    const v = this.states.get(component);
    if (!v) throw new RangeError(`component ${component} is not configured`);
    return v;
  }

  /** Routes with `v` from now on when it is newer than what routes now; says whether it was. */
  adopt(v: VersionedState): boolean {
    if (!this.plans.has(v.state.component)) return false;
    const current = this.states.get(v.state.component);
    if (current && current.revision >= v.revision) return false;
    this.states.set(v.state.component, v);
    return true;
  }

  isAvailable(provider: ProviderId): boolean {
    return this.breakers.get(provider).allowRequest();
  }

  isHealthy(provider: ProviderId): boolean {
    return this.breakers.get(provider).state() === 'closed';
  }

  candidateServedAsFallback(o: CandidateFallback): void {
    const episode = this.fallbackEpisodes.note(o, this.plan(o.component).productionProvider);
    if (episode) this.onCandidateFallback?.(episode, o);
  }

  breakerState(provider: ProviderId) {
    return this.breakers.get(provider).snapshot();
  }

  recordAttempt(o: AttemptRecord): void {
    // A client error means the provider answered: it counts as a success for the breaker and the windows.
    const providerOk = o.ok || o.failure === 'client';
    const breaker = this.breakers.get(o.provider);
    if (providerOk) breaker.recordSuccess();
    else breaker.recordFailure();
    this.rollups.record(o, providerOk);
  }

  recordShadow(o: AttemptRecord): void {
    this.rollups.record({ ...o, route: 'shadow' }, o.ok);
  }

  noteStudent(component: Component, studentHash: string): void {
    this.students.note(component, studentHash, this.clock.now());
  }
}
