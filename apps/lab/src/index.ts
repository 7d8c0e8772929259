// @bascule/lab: local stand-ins for every upstream of Bascule, speaking each provider's real wire format,
// with realistic latency and fault injection at run time. See README.md.
import type { AddressInfo } from 'node:net';
import { createControlServer } from './control.ts';
import type { Fault } from './fault.ts';
import { UPSTREAM_NAMES, type UpstreamName } from './names.ts';
import { createRng } from './rng.ts';
import { Upstream, upstreamContext, type UpstreamDefinition, type UpstreamState } from './upstream.ts';
import { groq, huggingface, vpsLlm } from './upstreams/chat.ts';
import { openaiWhisper } from './upstreams/openai-whisper.ts';
import { fasterWhisper } from './upstreams/faster-whisper.ts';
import { coqui } from './upstreams/coqui.ts';
import { easyocr } from './upstreams/easyocr.ts';
import { trocr } from './upstreams/trocr.ts';

export { UPSTREAM_NAMES, isUpstreamName, type UpstreamName } from './names.ts';
export type { Fault } from './fault.ts';
export type { UpstreamState } from './upstream.ts';
export { LATENCY_PROFILES, type LatencyProfile } from './latency.ts';
export { DEFAULT_BUSY_MS, reportsServiceTime } from './service-time.ts';
export { encodeToneWav, parseWav, WAV_SAMPLE_RATE, type WavInfo } from './wav.ts';
export { encodePng, pngSize } from './png.ts';
export { spokenWav, handwrittenPng, readMarker, READING_SECONDS_PER_WORD, SAY_MARKER, WROTE_MARKER } from './marker.ts';
export { COQUI_VOICES } from './upstreams/coqui.ts';
export { createRng, type Rng } from './rng.ts';
export { startTraffic, studentIds, ACTIVITIES, type Activity, type Traffic, type TrafficOptions, type TrafficResult, type TrafficStats } from './traffic.ts';

const DEFINITIONS: Record<UpstreamName, UpstreamDefinition> = {
  huggingface, groq, 'vps-llm': vpsLlm, 'openai-whisper': openaiWhisper, 'faster-whisper': fasterWhisper, coqui, easyocr, trocr,
};

export interface LabOptions {
  /** Interface every server listens on (default 127.0.0.1). */
  host?: string;
  /** Port of the control API (default 0: a free one). */
  controlPort?: number;
  /** Ports of the upstreams (default 0 each: free ones). */
  ports?: Partial<Record<UpstreamName, number>>;
  /** Seed of every made-up answer and latency (default 1). */
  seed?: number;
  /** Multiplies the simulated processing times (default 1; tests use 0). */
  latencyScale?: number;
}

export interface LabUpstream {
  name: UpstreamName;
  /** e.g. `http://127.0.0.1:41234` (groq's routes are under `/openai/v1`, the others' as the provider's). */
  baseUrl: string;
}

export interface Lab {
  /** Base URL of the control API, e.g. `http://127.0.0.1:4010` (routes under `/lab/v1`). */
  controlUrl: string;
  upstreams: Record<UpstreamName, LabUpstream>;
  setFault(name: UpstreamName, fault: Fault): Promise<UpstreamState>;
  /** The compute time a self-hosted stand-in reports (`X-Bascule-Busy-Ms`; vps-llm: llama.cpp's `timings`); throws for a paid API's. */
  setService(name: UpstreamName, service: { busyMs: number }): UpstreamState;
  /** Every upstream back to `ok`. */
  resetFaults(): Promise<void>;
  state(): UpstreamState[];
  close(): Promise<void>;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const latencyScale = options.latencyScale ?? 1;
  const servers = new Map<UpstreamName, Upstream>();
  try {
    for (const [index, name] of UPSTREAM_NAMES.entries()) {
      const ctx = upstreamContext(name, seed, createRng(seed * 7919 + index), latencyScale);
      const upstream = new Upstream(DEFINITIONS[name], ctx, host);
      servers.set(name, upstream);
      await upstream.start(options.ports?.[name] ?? 0);
    }
  } catch (error) {
    await Promise.allSettled([...servers.values()].map((u) => u.close()));
    throw error;
  }
  const control = createControlServer(servers);
  try {
    await control.listen({ host, port: options.controlPort ?? 0 });
  } catch (error) {
    await Promise.allSettled([...servers.values()].map((u) => u.close()));
    throw error;
  }
  const port = (control.server.address() as AddressInfo).port;
  const upstreams = Object.fromEntries([...servers].map(([name, u]) => [name, { name, baseUrl: u.baseUrl }])) as Record<UpstreamName, LabUpstream>;
  const get = (name: UpstreamName): Upstream => {
    const upstream = servers.get(name);
    if (!upstream) throw new Error(`unknown upstream "${String(name)}"; expected one of ${UPSTREAM_NAMES.join(', ')}`);
    return upstream;
  };
  return {
    controlUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    upstreams,
    setFault: (name, fault) => get(name).setFault(fault),
    setService: (name, { busyMs }) => {
      const upstream = get(name);
      if (!upstream.setService(busyMs)) throw new TypeError(`${name}: a paid API's stand-in reports no service time`);
      return upstream.state();
    },
    resetFaults: async () => { await Promise.all([...servers.values()].map((u) => u.setFault({ mode: 'ok' }))); },
    state: () => [...servers.values()].map((u) => u.state()),
    close: async () => {
      await control.close();
      await Promise.all([...servers.values()].map((u) => u.close()));
    },
  };
}
