// Every change of a component's state: written first (state and audit event in one transaction, checked
// against the revision it was computed from, and the lease ticket for the analysis loop), then routed
// with, then announced. A transition that took effect is never lost on a crash, and two replicas never
// both apply one computed from the same state: the second finds the revision moved and is refused.
import {
  adoptPlan,
  gatedTransition,
  initialState,
  rollback,
  snapshotOf,
  type Clock,
  type Component,
  type GatedAction,
  type Override,
  type ProviderId,
  type RolloutPlan,
  type RolloutState,
  type Transition,
} from '@bascule/routing';
import { StaleStateError, type Fence, type GatewayStore, type StoredAuditEvent } from '../store/index.ts';
import type { Notifier } from './notify.ts';
import type { RoutingRuntime } from './runtime.ts';
import type { Snapshots } from './snapshots.ts';
import { iso } from './views.ts';
import type { WindowReader } from './windows.ts';
import type { QualityResult } from './view-types.ts';

/** A quality result to record: a benchmark's, a listening test's (with its note). */
export interface QualityInput {
  benchmark: string;
  score: number;
  samples: number;
  provider: ProviderId;
  at?: number;
  note?: string;
}

export class Transitions {
  constructor(
    private readonly store: GatewayStore,
    private readonly runtime: RoutingRuntime,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly windows: WindowReader,
    private readonly snapshots: Snapshots,
  ) {}

  /** Loads every component's state; a new plan version is adopted (an audit event by `deploy`). */
  async load(plans: Iterable<RolloutPlan>): Promise<void> {
    const now = this.clock.now();
    const stored = new Map((await this.store.loadStates()).map((v) => [v.state.component, v]));
    for (const plan of plans) {
      const v = stored.get(plan.component) ?? (await this.store.initState(initialState(plan, now), now));
      this.runtime.adopt(v);
      if (String(v.state.planVersion) === String(plan.version)) continue;
      try {
        await this.commit(adoptPlan(plan, v.state, { actor: 'deploy', reason: `plan version ${String(plan.version)} deployed (was ${String(v.state.planVersion)})`, at: now }));
      } catch (error) {
        if (!(error instanceof StaleStateError)) throw error;
        await this.reload(); // another replica adopted it first
      }
    }
  }

  /** Reads every stored state again; newer ones replace what routes. Returns the components that changed. */
  async reload(): Promise<Component[]> {
    return (await this.store.loadStates()).filter((v) => this.runtime.adopt(v)).map((v) => v.state.component);
  }

  /** Persists first (state + event in one transaction), then routes with the new state, then announces it. */
  async commit(t: Transition, fence?: Fence): Promise<StoredAuditEvent> {
    const { revision } = this.runtime.versioned(t.state.component);
    try {
      const saved = await this.store.saveTransition(t.state, t.event, { revision, ...(fence ? { fence } : {}) });
      this.runtime.adopt({ state: t.state, revision: saved.revision });
      await this.refresh(t.state);
      this.notifier.transition(saved.event, t.state.component);
      return saved.event;
    } catch (error) {
      // Someone else's write won: route with it now rather than at the next re-read.
      if (error instanceof StaleStateError) await this.reload().then((changed) => changed.forEach((c) => this.notifier.transition(null, c)), () => undefined);
      throw error;
    }
  }

  /**
   * A new state's fresh analysis and snapshot (a resume's window, the gates), before it is announced. Best
   * effort: the transition is recorded already, and the next evaluation takes a snapshot anyway.
   */
  async refresh(state: RolloutState): Promise<void> {
    try {
      await this.windows.noteAnalysisStart(state);
      await this.snapshots.observe(this.runtime.plan(state.component), this.clock.now());
    } catch {
      // the store is away: the views keep the last snapshot until the next evaluation
    }
  }

  /** Raising the weight is gated (GateError) unless `override` says why to go ahead anyway. */
  async setWeight(component: Component, weight: number, reason: string, actor = 'admin', override?: Override): Promise<RolloutState> {
    return this.gated(component, 'set-weight', reason, actor, override, weight);
  }

  /** Promote is gated like a raise of the weight; rollback and resume are not. */
  async act(component: Component, action: 'promote' | 'rollback' | 'resume', reason: string, actor = 'admin', override?: Override): Promise<RolloutState> {
    if (action !== 'rollback') return this.gated(component, action, reason, actor, override);
    const t = rollback(this.runtime.plan(component), this.runtime.state(component), { actor, reason, at: this.clock.now() });
    await this.commit(t);
    return t.state;
  }

  /** Gated on a fresh snapshot, not on the last evaluation's (up to an interval old). */
  private async gated(component: Component, action: GatedAction, reason: string, actor: string, override: Override | undefined, weight?: number): Promise<RolloutState> {
    const plan = this.runtime.plan(component);
    const at = this.clock.now();
    const { analysis } = await this.snapshots.observe(plan, at);
    const ctx = { actor, reason, at, weight, ...(override === undefined ? {} : { override }) };
    const t = gatedTransition(plan, this.runtime.state(component), action, ctx, { evaluation: analysis.evaluation, alerts: analysis.alerts, now: at });
    await this.commit(t);
    return t.state;
  }

  async recordQuality(component: Component, q: QualityInput): Promise<QualityResult> {
    const at = q.at ?? this.clock.now();
    const snap = snapshotOf(this.runtime.state(component));
    const { quality, event } = await this.store.recordQuality(
      { at, component, provider: q.provider, benchmark: q.benchmark, score: q.score, samples: q.samples, ...(q.note === undefined ? {} : { note: q.note }) },
      {
        at: this.clock.now(),
        component,
        actor: 'admin',
        action: 'quality-recorded',
        reason: `${q.benchmark}: ${(q.score * 100).toFixed(1)} % over ${q.samples} samples (${q.provider})`,
        from: snap,
        to: snap,
      },
    );
    this.notifier.event(event);
    // The quality criterion reads the new result now, not at the loop's next evaluation.
    await this.refresh(this.runtime.state(component));
    this.notifier.transition(null, component);
    return { id: String(quality.id), component, provider: q.provider, benchmark: q.benchmark, score: q.score, samples: q.samples, at: iso(at), ...(q.note === undefined ? {} : { note: q.note }) };
  }
}
