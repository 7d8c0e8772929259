// What the end-to-end test runs the page against: the real gateway (admin API, store, migration runtime,
// analysis loop, event stream). Until the request path (apps/gateway/src/public) and the lab land, the
// simulated class's requests enter at the runtime's seam — `recordAttempt`, exactly what the request path
// reports for every upstream attempt — and are routed by the engine's `planRoute` from the gateway's live
// plan, state and breakers. A fault makes the production provider fail as an upstream would (503).
import { planRoute, type Component } from '@bascule/routing';
import { localConfig, startGateway, type Migrations } from '../../gateway/src/index.ts';

export interface Stack {
  gatewayUrl: string;
  adminToken: string;
  /** The weight the gateway holds now for a component. */
  weight(component: Component): Promise<number>;
  /** Share of `students` routed to the production provider by the gateway's current plan and state. */
  productionShare(component: Component, students: number): Promise<number>;
  /** Make the component's production upstream fail. */
  injectFault(component: Component): Promise<void>;
  close(): Promise<void>;
}

const LATENCY_MS = { production: 320, mvp: 1_450 };
const STUDENTS = 400;

/** One tick of the simulated class: each component gets a few requests from random students. */
function playTraffic(runtime: Migrations, faults: Set<Component>, tick: number): void {
  const now = Date.now();
  for (const component of runtime.components()) {
    const plan = runtime.plan(component);
    const state = runtime.state(component);
    for (let i = 0; i < 12; i++) {
      const studentId = `élève-${(tick * 12 + i * 7) % STUDENTS}`;
      const route = planRoute({ plan, state, studentId, isAvailable: (p) => runtime.isAvailable(p) });
      for (const attempt of route.attempts) {
        const failing = attempt.route === 'production' && faults.has(component);
        const base = attempt.route === 'production' ? LATENCY_MS.production : LATENCY_MS.mvp;
        const latencyMs = failing ? 40 : base * (0.7 + ((i * 37 + tick) % 60) / 100);
        runtime.recordAttempt({
          at: now,
          component,
          provider: attempt.provider,
          route: attempt.route,
          latencyMs,
          ok: !failing,
          ...(failing ? { failure: 'status' as const, status: 503 } : {}),
          costEur: attempt.route === 'production' ? 0.0004 : 0.003,
        });
        if (!failing) break;
      }
    }
  }
}

/** `dashboardDir`: the built page, which the gateway serves under /dashboard/. */
export async function startStack(dashboardDir: string): Promise<Stack> {
  const loaded = localConfig({ labBaseUrl: 'http://127.0.0.1:9', env: {} });
  // Evaluate every 400 ms so an automatic rollback (3 evaluations) shows within seconds.
  loaded.config.analysis.intervalMs = 400;
  const started = await startGateway({ loaded, storePath: ':memory:', logger: false, dashboardDir, stream: { metricsIntervalMs: 1_000 } });
  const { runtime } = started.gateway;
  const faults = new Set<Component>();
  let tick = 0;
  const traffic = setInterval(() => playTraffic(runtime, faults, tick++), 100);
  return {
    gatewayUrl: started.url,
    adminToken: loaded.secrets.adminToken,
    weight: async (c) => runtime.state(c).weight,
    productionShare: async (component, students) => {
      let production = 0;
      for (let i = 0; i < students; i++) {
        const route = planRoute({ plan: runtime.plan(component), state: runtime.state(component), studentId: `student-${i}`, isAvailable: () => true });
        if (route.cohort === 'production') production++;
      }
      return production / students;
    },
    injectFault: async (c) => void faults.add(c),
    close: async () => {
      clearInterval(traffic);
      await started.close();
    },
  };
}
