// Whether the store answers, as the gateway last saw it: every call through `trackHealth` reports here, so
// /healthz can say "degraded" and why, and the admin API can tell a store outage from a bug.
import { StoreUnavailableError, type GatewayStore } from './types.ts';

export interface StoreHealthView {
  ok: boolean;
  /** The last failure while not ok. */
  error?: string;
  /** ISO time the store stopped answering. */
  since?: string;
}

export class StoreHealth {
  private failure: { error: string; since: number } | null = null;

  ok(): void {
    this.failure = null;
  }

  failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failure = { error: message, since: this.failure?.since ?? Date.now() };
  }

  get isOk(): boolean {
    return this.failure === null;
  }

  view(): StoreHealthView {
    return this.failure === null ? { ok: true } : { ok: false, error: this.failure.error, since: new Date(this.failure.since).toISOString() };
  }
}

/** The same store, each call reported to `health`: a StoreUnavailableError marks it down, any answer up. */
export function trackHealth(store: GatewayStore, health: StoreHealth): GatewayStore {
  const track =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await call(...args);
        health.ok();
        return result;
      } catch (error) {
        if (error instanceof StoreUnavailableError) health.failed(error);
        else health.ok(); // it answered, with a refusal
        throw error;
      }
    };
  return {
    engine: store.engine,
    get open() {
      return store.open;
    },
    loadStates: track(() => store.loadStates()),
    initState: track((state, at) => store.initState(state, at)),
    saveTransition: track((state, event, guard) => store.saveTransition(state, event, guard)),
    recordEvent: track((event) => store.recordEvent(event)),
    events: track((query) => store.events(query)),
    recordQuality: track((q, event) => store.recordQuality(q, event)),
    addQualityResults: track((results) => store.addQualityResults(results)),
    qualitySince: track((component, provider, since) => store.qualitySince(component, provider, since)),
    qualityResults: track((query) => store.qualityResults(query)),
    addRollups: track((rollups) => store.addRollups(rollups)),
    rollupsSince: track((since, component) => store.rollupsSince(since, component)),
    pruneRollups: track((before) => store.pruneRollups(before)),
    monthlyCosts: track((month) => store.monthlyCosts(month)),
    addSatisfaction: track((minutes) => store.addSatisfaction(minutes)),
    satisfactionSince: track((since, component) => store.satisfactionSince(since, component)),
    heartbeatReplica: track((replica, at) => store.heartbeatReplica(replica, at)),
    replicas: track((now) => store.replicas(now)),
    markReplica: track((id, downSince) => store.markReplica(id, downSince)),
    forgetReplica: track((id) => store.forgetReplica(id)),
    schemaVersions: track(() => store.schemaVersions()),
    close: () => store.close(),
  };
}
