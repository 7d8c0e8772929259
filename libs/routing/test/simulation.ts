// A simulated migration driven by an injected clock: a class of students sends requests through the real
// router, breakers, sliding window, analysis and controller; only the upstreams are simulated (latency and
// failures drawn from a seeded random source). Used by the migration tests.
import {
  BreakerRegistry,
  SlidingWindow,
  applyDecision,
  classifyFailure,
  decide,
  evaluateAlerts,
  evaluateCriteria,
  executeRoute,
  forecastCapacity,
  nextStepWeight,
  initialState,
  planRoute,
  promote,
  requestCost,
  summarize,
  type AttemptFn,
  type AuditEvent,
  type CostModel,
  type Decision,
  type ProviderId,
  type QualityMeasure,
  type RandomSource,
  type RolloutPlan,
  type RolloutState,
  type Route,
} from '../src/index.ts';
import { ManualClock, SATISFIED } from './fixtures.ts';

/** How an upstream behaves at a given time: latency range and share of 503s. */
export interface UpstreamBehaviour {
  latencyMs: [number, number];
  failureRate: number;
}

export interface SimulationOptions {
  plan: RolloutPlan;
  seed: number;
  start: number;
  durationMs: number;
  tickMs: number;
  requestsPerTick: number;
  students: number;
  evaluateEveryMs: number;
  analysisWindowMs: number;
  quality: QualityMeasure;
  costModel: CostModel;
  audioSecondsPerRequest: number;
  behaviour: (provider: ProviderId, state: RolloutState, now: number) => UpstreamBehaviour;
  /** The production model's service time per request (one host, one slot): feeds the capacity criterion. */
  serviceMs?: number;
}

export interface SimulationResult {
  state: RolloutState;
  events: AuditEvent[];
  decisions: Array<Decision & { at: number; weight: number }>;
  served: Record<Route | 'failed', number>;
  /** Requests that reached the production provider and still failed (the fallback did not save them). */
  failedAfterProduction: number;
}

export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function simulateMigration(o: SimulationOptions): Promise<SimulationResult> {
  const { plan } = o;
  const random = seededRandom(o.seed);
  const clock = new ManualClock(o.start);
  const breakers = new BreakerRegistry(clock);
  const window = new SlidingWindow({ windowMs: o.analysisWindowMs, clock });
  const served: SimulationResult['served'] = { production: 0, mvp: 0, fallback: 0, failed: 0 };
  let failedAfterProduction = 0;
  const events: AuditEvent[] = [];
  const decisions: SimulationResult['decisions'] = [];
  const usage = { audioSeconds: o.audioSecondsPerRequest };
  const mvpCostPerRequestEur = requestCost(o.costModel, plan.mvpProvider, usage);

  // A person starts the migration; from there on, the analysis loop decides.
  const start = promote(plan, initialState(plan, o.start), { actor: 'admin', reason: 'start the migration', at: o.start });
  let state = start.state;
  events.push(start.event);
  let criticalStreak = 0;
  let nextEvaluation = o.start + o.evaluateEveryMs;

  for (let now = o.start; now < o.start + o.durationMs; now = clock.advance(o.tickMs)) {
    for (let i = 0; i < o.requestsPerTick; i++) {
      const startedAt = now + Math.floor((i * o.tickMs) / o.requestsPerTick);
      const requestClock = new ManualClock(startedAt);
      const studentId = `student-${Math.floor(random() * o.students)}`;
      const attempt: AttemptFn<string> = async (provider, ctx) => {
        const b = o.behaviour(provider, state, now);
        const latency = b.latencyMs[0] + random() * (b.latencyMs[1] - b.latencyMs[0]);
        requestClock.advance(Math.min(latency, ctx.remainingMs));
        if (latency > ctx.remainingMs) return { ok: false, failure: classifyFailure({ type: 'timeout' }) };
        if (random() < b.failureRate) return { ok: false, failure: classifyFailure({ type: 'status', status: 503 }) };
        return { ok: true, value: 'transcript' };
      };
      const route = planRoute({ plan, state, studentId, isAvailable: breakers.isAvailable });
      const outcome = await executeRoute(route.attempts, attempt, { clock: requestClock, deadlineAt: startedAt + plan.slaMs });
      served[outcome.ok ? outcome.route : 'failed']++;
      if (!outcome.ok && outcome.attempts.some((a) => a.route === 'production')) failedAfterProduction++;
      for (const a of outcome.attempts) {
        if (a.ok) breakers.get(a.provider).recordSuccess();
        else breakers.get(a.provider).recordFailure();
        window.record({ at: a.startedAt, component: plan.component, provider: a.provider, route: a.route, latencyMs: a.latencyMs, ok: a.ok, costEur: requestCost(o.costModel, a.provider, usage) });
      }
    }
    if (now >= nextEvaluation) {
      nextEvaluation += o.evaluateEveryMs;
      const production = summarize(window, { component: plan.component, provider: plan.productionProvider, route: 'production' });
      const mvp = summarize(window, { component: plan.component, provider: plan.mvpProvider });
      const breakerOpen = breakers.get(plan.productionProvider).state() === 'open';
      const alerts = evaluateAlerts(production, plan.thresholds, { component: plan.component, provider: plan.productionProvider, breakerOpen });
      const capacity = o.serviceMs === undefined ? undefined : simulatedCapacity(o, state, summarize(window, { component: plan.component }).requests, production.requests);
      const evaluation = evaluateCriteria(plan.criteria, { production, mvp, quality: o.quality, breakerOpen, mvpCostPerRequestEur, satisfaction: SATISFIED, ...(capacity ? { capacity } : {}) });
      const decision = decide({ plan, state, analysis: { alerts, evaluation }, criticalStreak, now });
      criticalStreak = decision.criticalStreak;
      decisions.push({ ...decision, at: now, weight: state.weight });
      const transition = applyDecision(plan, state, decision, now);
      if (transition) {
        state = transition.state;
        events.push(transition.event);
      }
    }
  }
  return { state, events, decisions, served, failedAfterProduction };
}

/** The capacity forecast the gateway would make: the window's mean rate, every production request a sample. */
function simulatedCapacity(o: SimulationOptions, state: RolloutState, componentRequests: number, productionRequests: number) {
  const seconds = o.analysisWindowMs / 1000;
  return forecastCapacity({
    componentRatePerSec: componentRequests / seconds,
    productionRatePerSec: productionRequests / seconds,
    serviceMs: productionRequests > 0 ? o.serviceMs! : null,
    samples: productionRequests,
    hosts: 1,
    slotsPerHost: 1,
    nextWeight: nextStepWeight(o.plan, state),
    activeStudents: o.students,
    studentRatePerSec: componentRequests / seconds,
    threshold: 0.8,
  });
}
