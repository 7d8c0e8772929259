// What a self-hosted provider's hosts have measured: each host's service time (capacity/service-time.ts) and
// the provider's, the sample-weighted mean of its hosts' (a host that served more says more about the load).
import type { HostPool } from '../adapters/hosts.ts';

export interface HostService {
  host: string;
  serviceMs: number | null;
  samples: number;
}

export interface MeasuredService {
  serviceMs: number | null;
  samples: number;
  hosts: number;
  perHost: HostService[];
}

export function measuredService(pool: HostPool): MeasuredService {
  const perHost = pool.hosts.map((h) => {
    const s = h.service?.snapshot() ?? { meanMs: null, samples: 0 };
    return { host: h.label, serviceMs: s.meanMs, samples: s.samples };
  });
  let samples = 0;
  let weighted = 0;
  for (const h of perHost) {
    if (h.serviceMs === null) continue;
    samples += h.samples;
    weighted += h.serviceMs * h.samples;
  }
  return { serviceMs: samples === 0 ? null : weighted / samples, samples, hosts: pool.hosts.length, perHost };
}
