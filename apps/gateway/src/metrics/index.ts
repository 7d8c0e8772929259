// The request path's Prometheus metrics. Labels carry provider ids, components and routes, never a student.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HostPool } from '../adapters/hosts.ts';

const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10];
const OVERHEAD_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

export interface GatewayMetrics {
  /** Each upstream attempt's latency, by provider, component, route and outcome (ok, timeout, …). */
  upstreamLatency: Histogram<'provider' | 'component' | 'route' | 'outcome'>;
  /** Each upstream attempt, counted by outcome. */
  upstreamAttempts: Counter<'provider' | 'component' | 'route' | 'outcome'>;
  /** Each public request, by component, the route that served it and the HTTP status. */
  requests: Counter<'component' | 'route' | 'status'>;
  /** What the providers billed, in euros. */
  costEur: Counter<'provider' | 'component'>;
  /** Time the gateway itself spent on a request: total minus time waiting on upstreams. */
  overhead: Histogram<'component'>;
  /** 1 when a provider's breaker refused a production request (open), 0 when it let one through. */
  breakerOpen: Gauge<'provider'>;
  /** Reports these pools' hosts on every scrape (bascule_upstream_host_up, bascule_upstream_host_outstanding). */
  watchHosts(pools: Iterable<HostPool>): void;
}

/** A host's breaker as a gauge value: up (closed), probing (half-open), down (open). */
const HOST_UP = { closed: 1, 'half-open': 0.5, open: 0 } as const;

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const pools: HostPool[] = [];
  // Read at scrape time from the pools, not written per request.
  new Gauge({
    name: 'bascule_upstream_host_up',
    help: "Each upstream host's circuit breaker: 1 closed, 0.5 half-open (probing), 0 open. Labelled by provider and host (host:port).",
    labelNames: ['provider', 'host'],
    registers,
    collect() {
      this.reset();
      for (const pool of pools) for (const host of pool.hosts) this.set({ provider: pool.provider, host: host.label }, HOST_UP[host.breaker.state()]);
    },
  });
  new Gauge({
    name: 'bascule_upstream_host_outstanding',
    help: 'Calls in flight on each upstream host (what least-outstanding balancing compares).',
    labelNames: ['provider', 'host'],
    registers,
    collect() {
      this.reset();
      for (const pool of pools) for (const host of pool.hosts) this.set({ provider: pool.provider, host: host.label }, host.outstanding);
    },
  });
  new Gauge({
    name: 'bascule_upstream_host_service_seconds',
    help: 'Measured model compute time per request of each self-hosted host (mean of X-Bascule-Busy-Ms, or of llama.cpp timings for vps-llm; this replica; docs/capacity.md).',
    labelNames: ['provider', 'host'],
    registers,
    collect() {
      this.reset();
      for (const pool of pools) {
        for (const host of pool.hosts) {
          const mean = host.service?.snapshot().meanMs ?? null;
          if (mean !== null) this.set({ provider: pool.provider, host: host.label }, mean / 1000);
        }
      }
    },
  });
  return {
    watchHosts: (more) => {
      for (const pool of more) pools.push(pool);
    },
    upstreamLatency: new Histogram({
      name: 'bascule_upstream_latency_seconds',
      help: 'Latency of each upstream attempt, by provider, component, route and outcome.',
      labelNames: ['provider', 'component', 'route', 'outcome'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    }),
    upstreamAttempts: new Counter({
      name: 'bascule_upstream_attempts_total',
      help: 'Upstream attempts, by provider, component, route and outcome (ok, timeout, connection, server, rate-limited, client, unknown; cancelled when the client left first).',
      labelNames: ['provider', 'component', 'route', 'outcome'],
      registers,
    }),
    requests: new Counter({
      name: 'bascule_requests_total',
      help: 'Public API requests by component, serving route (production, mvp, fallback, none) and HTTP status.',
      labelNames: ['component', 'route', 'status'],
      registers,
    }),
    costEur: new Counter({
      name: 'bascule_cost_eur_total',
      help: 'Provider cost in euros (per token for chat, per audio second for speech, per image for OCR).',
      labelNames: ['provider', 'component'],
      registers,
    }),
    overhead: new Histogram({
      name: 'bascule_overhead_seconds',
      help: 'Gateway overhead per routed request: total time minus time waiting on upstreams.',
      labelNames: ['component'],
      buckets: OVERHEAD_BUCKETS_S,
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'bascule_breaker_open',
      help: 'Whether the production provider breaker refused the last request (1 open, 0 closed).',
      labelNames: ['provider'],
      registers,
    }),
  };
}
