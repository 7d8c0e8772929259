// The shadow runner: for a sampled request the MVP served, the same input goes to the component's
// production provider once the answer has been sent to the student (the response's `close`), never awaited
// by the request, never changing or failing it. Each call has its own deadline (AbortSignal.timeout), its
// cost goes to the rollups under the `shadow` route (the month's cost includes it, the production route's
// latency and errors do not), its answer is compared and only the scores are kept; the input and both
// answers are dropped when the job ends (the job's closure is the only reference to them).
import { requestCost, type Clock, type Component, type CostModel, type ProviderId, type Route } from '@bascule/routing';
import type { FastifyReply } from 'fastify';
import type { CallContext, Priced } from '../adapters/index.ts';
import type { MigrationRuntime } from '../migration/runtime.ts';
import { Admission, type ShadowCounts } from './admission.ts';
import type { ShadowScore, ShadowScores } from './scores.ts';
import type { ShadowSettings } from './settings.ts';

/** What a shadowed request leaves for the runner: the call (the same one the MVP got) and the comparison. */
export interface ShadowJob<T> {
  call(provider: ProviderId, ctx: CallContext & { route: Route }): Promise<Priced<T>>;
  /** The production provider's answer against the MVP's: scores only. */
  compare(production: T): ShadowScore[];
}

export interface ShadowRunnerOptions {
  settings: ShadowSettings;
  runtime: MigrationRuntime;
  scores: ShadowScores;
  costModel: CostModel;
  clock?: Clock;
  /** Sampling's randomness (tests inject it). */
  random?: () => number;
  log?: { warn(obj: object, msg: string): void };
}

export class ShadowRunner {
  readonly settings: ShadowSettings;
  /** The scores of this minute and those not written yet. */
  readonly scores: ShadowScores;
  private readonly admission: Admission;
  private readonly clock: Clock;
  /** Shadow calls in flight, to wait for on shutdown. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: ShadowRunnerOptions) {
    this.settings = options.settings;
    this.scores = options.scores;
    this.admission = new Admission(options.random);
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** Cheap and side-effect free: whether a request served on `route` may be shadowed at all. */
  wants(component: Component, route: Route): boolean {
    return route === 'mvp' && this.settings.enabled(component);
  }

  /**
   * Samples the request; when admitted, runs the job once the response is closed (sent, or the client
   * left: the MVP answered either way). Never throws.
   */
  offer<T>(reply: FastifyReply, component: Component, job: ShadowJob<T>): void {
    const settings = this.settings.get(component);
    if (this.admission.admit(component, settings, this.clock.now()) !== null) return;
    const start = () => {
      const run = this.run(component, settings.timeoutMs, job).finally(() => {
        this.admission.release(component);
        this.running.delete(run);
      });
      this.running.add(run);
    };
    if (reply.raw.writableFinished || reply.raw.destroyed) setImmediate(start);
    else reply.raw.once('close', start);
  }

  counts(component: Component): ShadowCounts {
    return { ...this.admission.countsOf(component) };
  }

  inFlight(component: Component): number {
    return this.admission.running(component);
  }

  /** Resolves when every shadow call started so far has ended (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run<T>(component: Component, timeoutMs: number, job: ShadowJob<T>): Promise<void> {
    const { runtime } = this.options;
    const provider = runtime.plan(component).productionProvider;
    const counts = this.admission.countsOf(component);
    const at = this.clock.now();
    const started = performance.now();
    let priced: Priced<T>;
    try {
      priced = await job.call(provider, { route: 'production', timeoutMs, signal: AbortSignal.timeout(timeoutMs), judged: false });
    } catch (error) {
      counts.failed += 1;
      runtime.recordShadow?.({ at, component, provider, route: 'shadow', latencyMs: performance.now() - started, ok: false, costEur: 0 });
      this.options.log?.warn({ component, provider, err: error instanceof Error ? error.name : 'error' }, 'shadow call failed');
      return;
    }
    runtime.recordShadow?.({ at, component, provider, route: 'shadow', latencyMs: performance.now() - started, ok: true, costEur: this.cost(provider, priced) });
    try {
      const mvpProvider = runtime.plan(component).mvpProvider;
      for (const score of job.compare(priced.value)) this.scores.add(at, component, score.of === 'mvp' ? mvpProvider : provider, score.measure, score.value);
      counts.compared += 1;
    } catch (error) {
      counts.failed += 1;
      this.options.log?.warn({ component, provider, err: error instanceof Error ? error.name : 'error' }, 'shadow comparison failed');
    }
  }

  private cost(provider: ProviderId, priced: Priced<unknown>): number {
    try {
      return requestCost(this.options.costModel, provider, priced.usage);
    } catch {
      return 0; // a usage the price list cannot read: counted as free, as on the request path
    }
  }
}
