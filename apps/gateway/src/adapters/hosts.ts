// Several hosts per self-hosted provider (more GPU hosts as the school grows): one undici Agent and one
// circuit breaker per host, least-outstanding-requests balancing. A host whose breaker is open is skipped;
// when every host's is, the call fails at once as a connection failure, so the provider counts as failed
// and the request falls back. See docs/decisions/0011-hedged-fallback-and-host-pools.md.
import type { GatewayConfig } from '@bascule/contracts';
import { CircuitBreaker, classifyFailure, COMPONENTS, SELF_HOSTED, type BreakerOptions, type BreakerState, type Clock, type ProviderId } from '@bascule/routing';
import { Agent } from 'undici';
import { ServiceTimeMeter } from '../capacity/service-time.ts';

/** One host's health, as /metrics and the admin API show it: its address without credentials. */
export interface HostHealth {
  host: string;
  state: BreakerState;
  outstanding: number;
  /** Transient failures / calls over the breaker's window (0 without calls). */
  errorRate: number;
}

/** Every host of a provider has its breaker open. A connection-class failure: transient, fall back. */
export class NoHostAvailableError extends Error {
  override name = 'NoHostAvailableError';
  readonly code = 'ECONNREFUSED';
  constructor(provider: ProviderId, hosts: number) {
    super(`${provider}: all ${hosts} host(s) have an open circuit breaker`);
  }
}

export class Host {
  /** `host:port` of the base URL: a label for metrics and views, never the credentials a URL may carry. */
  readonly label: string;
  readonly agent: Agent;
  readonly breaker: CircuitBreaker;
  /** Calls in flight on this host. */
  outstanding = 0;
  /** A host we run: the model's measured compute time per request (capacity/); undefined for a paid API. */
  readonly service: ServiceTimeMeter | undefined;
  private readonly base: string;
  private readonly urls = new Map<string, string>();

  constructor(baseUrl: string, clock: Clock, breaker: Partial<Omit<BreakerOptions, 'onStateChange'>>, measured = false) {
    const parsed = new URL(baseUrl);
    this.service = measured ? new ServiceTimeMeter() : undefined;
    this.label = parsed.host;
    this.base = baseUrl.replace(/\/+$/, '');
    // Same settings as the shared agent of http.ts: keep-alive, no pipelining, a connect timeout.
    this.agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 2_000 }, pipelining: 1 });
    this.breaker = new CircuitBreaker(clock, breaker);
  }

  /** The full URL of `path` on this host (made once per path). */
  url(path: string): string {
    let url = this.urls.get(path);
    if (url === undefined) {
      url = `${this.base}${path}`;
      this.urls.set(path, url);
    }
    return url;
  }

  health(): HostHealth {
    const s = this.breaker.snapshot();
    return { host: this.label, state: s.state, outstanding: this.outstanding, errorRate: s.errorRate };
  }
}

/** A host's breaker trips sooner than a provider's: the other hosts carry its share meanwhile. */
export const HOST_BREAKER_DEFAULTS: Partial<Omit<BreakerOptions, 'onStateChange'>> = { consecutiveFailures: 3, openMs: 10_000 };

export class HostPool {
  readonly hosts: readonly Host[];
  private next = 0;

  constructor(
    readonly provider: ProviderId,
    baseUrls: readonly string[],
    clock: Clock = { now: () => Date.now() },
    breaker: Partial<Omit<BreakerOptions, 'onStateChange'>> = HOST_BREAKER_DEFAULTS,
  ) {
    if (baseUrls.length === 0) throw new TypeError(`providers.${provider}.baseUrls: expected at least one URL`);
    this.hosts = baseUrls.map((url) => new Host(url, clock, breaker, SELF_HOSTED.has(provider)));
  }

  /**
   * The host for the next call, its call counted: a half-open host's probe first (so a recovered host
   * comes back), else the closed host with the fewest calls in flight (ties taken in turn). Throws
   * NoHostAvailableError when every breaker is open. A lone host is always taken: with nothing to skip to,
   * its breaker only reports, and the provider's breaker decides (as before hosts had their own).
   */
  acquire(): Host {
    const n = this.hosts.length;
    if (n === 1) return this.take(this.hosts[0]!);
    const start = this.next;
    this.next = (start + 1) % n;
    let best: Host | null = null;
    for (let k = 0; k < n; k++) {
      const host = this.hosts[(start + k) % n]!;
      const state = host.breaker.state();
      if (state === 'half-open' && host.breaker.allowRequest()) return this.take(host);
      if (state === 'closed' && (best === null || host.outstanding < best.outstanding)) best = host;
    }
    if (best === null) throw new NoHostAvailableError(this.provider, n);
    return this.take(best);
  }

  /**
   * The call on `host` ended: a transient failure counts against its breaker, an answer (a client error
   * included) for it; a call aborted by the caller (the client left, or another attempt won) is not judged,
   * nor one made with `judged` false (a shadow call).
   */
  release(host: Host, error: unknown, signal: AbortSignal | undefined, judged = true): void {
    host.outstanding--;
    if (signal?.aborted || !judged) return;
    if (error === null || classifyFailure(error).class === 'client') host.breaker.recordSuccess();
    else host.breaker.recordFailure();
  }

  health(): HostHealth[] {
    return this.hosts.map((h) => h.health());
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.agent.close()));
  }

  private take(host: Host): Host {
    host.outstanding++;
    return host;
  }
}

/** Runs `call` on the pool's next host and reports how it ended. */
export async function onHost<T>(pool: HostPool, ctx: { signal?: AbortSignal; judged?: boolean }, call: (host: Host) => Promise<T>): Promise<T> {
  const host = pool.acquire();
  let value: T;
  try {
    value = await call(host);
  } catch (error) {
    pool.release(host, error, ctx.signal, ctx.judged);
    throw error;
  }
  pool.release(host, null, ctx.signal, ctx.judged);
  return value;
}

/** The settings' pool, or a pool of their one `baseUrl` (adapters built by hand, in tests). */
export function poolOf(settings: { id: ProviderId; baseUrl: string | undefined; hosts?: HostPool }): HostPool {
  if (settings.hosts) return settings.hosts;
  if (!settings.baseUrl) throw new TypeError('baseUrl: missing for this provider (set it in the gateway config)');
  return new HostPool(settings.id, [settings.baseUrl]);
}

/** The base URLs of a provider's config: `baseUrls`, or the one `baseUrl`. */
export function baseUrlsOf(provider: { baseUrl?: string | undefined; baseUrls?: string[] | undefined }): string[] {
  if (provider.baseUrls !== undefined) return provider.baseUrls;
  return provider.baseUrl === undefined ? [] : [provider.baseUrl];
}

/** One pool per configured provider that has a base URL (web-speech has none: it runs in the browser). */
export function createHostPools(config: GatewayConfig, clock?: Clock): Map<ProviderId, HostPool> {
  const pools = new Map<ProviderId, HostPool>();
  for (const component of COMPONENTS) {
    const providers = config.components[component]?.providers ?? {};
    for (const [id, p] of Object.entries(providers) as [ProviderId, NonNullable<(typeof providers)[ProviderId]>][]) {
      const urls = baseUrlsOf(p);
      if (urls.length > 0 && !pools.has(id)) pools.set(id, new HostPool(id, urls, clock));
    }
  }
  return pools;
}
