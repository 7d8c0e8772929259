// The analysis loop (Flagger's scheduler): every `intervalMs`, for each component, evaluate the windows,
// track the alerts, decide, and commit what the engine decided (automatic rollback, notified to a person;
// promotion only when the plan enables it). Only the replica holding the lease runs it, and its commits are
// fenced with the lease ticket. Tests call `tick(now)`.
import { applyDecision, decide, type Clock, type RolloutPlan } from '@bascule/routing';
import { LeaseLostError, StaleStateError, type Fence, type GatewayStore } from '../store/index.ts';
import type { Notifier } from './notify.ts';
import type { RoutingRuntime } from './runtime.ts';
import type { Snapshots } from './snapshots.ts';
import type { Transitions } from './transitions.ts';
import { Rounds } from '../coordination/rounds.ts';

export interface AnalysisLoopOptions {
  store: GatewayStore;
  runtime: RoutingRuntime;
  snapshots: Snapshots;
  transitions: Transitions;
  notifier: Notifier;
  clock: Clock;
  intervalMs: number;
  retentionMs: number;
  /** The lease ticket to fence commits with (undefined: one process, no fencing). */
  fence(): Fence | undefined;
  /** Writes the pending rollups first, so the analysis reads this replica's latest minutes too. */
  flush(): Promise<void>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class AnalysisLoop {
  // A slow store skips a round rather than overlap two.
  private readonly rounds: Rounds;

  constructor(private readonly o: AnalysisLoopOptions) {
    this.rounds = new Rounds(o.intervalMs, () => this.tick(), (error) => this.o.log.error({ err: error instanceof Error ? error.message : String(error) }, 'analysis loop failed'));
  }

  get started(): boolean {
    return this.rounds.started;
  }

  start(): void {
    this.rounds.start();
  }

  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** One evaluation of every component: flush, analyse, decide, apply. */
  async tick(now: number = this.o.clock.now()): Promise<void> {
    await this.o.flush();
    for (const plan of this.o.runtime.components().map((c) => this.o.runtime.plan(c))) await this.analyse(plan, now);
    await this.o.store.pruneRollups(now - this.o.retentionMs);
  }

  private async analyse(plan: RolloutPlan, now: number): Promise<void> {
    const component = plan.component;
    const { analysis, alerts } = await this.o.snapshots.observe(plan, now);
    const state = this.o.runtime.state(component);
    this.o.notifier.evaluated({ plan, state, alerts: analysis.alerts, evaluation: analysis.evaluation, now });
    const decision = decide({ plan, state, analysis: { alerts, evaluation: analysis.evaluation }, criticalStreak: analysis.criticalStreak, streakAnalysisStartedAt: analysis.streakAnalysisStartedAt, now });
    analysis.criticalStreak = decision.criticalStreak;
    analysis.streakAnalysisStartedAt = decision.analysisStartedAt;
    analysis.lastDecision = decision.reason;
    const transition = applyDecision(plan, state, decision, now);
    if (!transition) return;
    let event;
    try {
      event = await this.o.transitions.commit(transition, this.o.fence());
    } catch (error) {
      // Another replica changed the state, or took the lease: this decision is void; the next round decides
      // again from what is stored.
      if (error instanceof StaleStateError || error instanceof LeaseLostError) {
        this.o.log.warn({ component, action: decision.action, err: error.message }, 'analysis decision not applied');
        return;
      }
      throw error;
    }
    this.o.log.info({ component, action: decision.action, reason: decision.reason }, 'analysis applied a decision');
    if (decision.action === 'rollback') {
      this.o.snapshots.analyses.get(component)!.criticalStreak = 0;
      this.o.notifier.rollback({ component, provider: plan.productionProvider, reason: decision.reason, at: now, event });
    }
  }
}
