// The seam between the request path (src/public, src/proxy) and the migration state (this folder).
// The request path asks the runtime which plan and state apply and whether a provider's breaker lets a call
// through, then reports every upstream attempt; the runtime feeds breakers, sliding windows and rollups.
import type { BreakerRegistry, Clock, Component, ProviderId, Route, RolloutPlan, RolloutState } from '@bascule/routing';
import type { VersionedState } from '../store/index.ts';
import type { ActiveStudents } from './active-students.ts';
import type { RollupBuffer } from './rollup-buffer.ts';

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

export interface MigrationRuntime {
  /** The deployed plan of a component (from the config). */
  plan(component: Component): RolloutPlan;
  /** The component's rollout state now (weight, status, step). */
  state(component: Component): RolloutState;
  /** Whether the provider's breaker lets a request through now (reserves a probe when half-open). */
  isAvailable(provider: ProviderId): boolean;
  /** Every upstream attempt: feeds the breaker, the sliding windows and the per-minute rollups. */
  recordAttempt(o: AttemptRecord): void;
  /** A student's request, by keyed hash (never the raw id), for the active-students count. */
  noteStudent?(component: Component, studentHash: string): void;
}

/**
 * The request path's side of the runtime: plans, the state each component routes with (and its stored
 * revision), one breaker per provider (local to this replica), the unflushed rollups and the active
 * students. Every call is synchronous and in memory; the store is never awaited here.
 */
export class RoutingRuntime implements MigrationRuntime {
  private readonly states = new Map<Component, VersionedState>();

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

  noteStudent(component: Component, studentHash: string): void {
    this.students.note(component, studentHash, this.clock.now());
  }
}
