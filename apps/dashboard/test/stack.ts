// The full stack for the end-to-end test: the lab's stand-ins for every upstream, the real gateway in
// front of them (public API, admin API, store, analysis loop, event stream, the built page under
// /dashboard/), and the lab's class of simulated students playing the reading app through the gateway.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Component } from '@bascule/routing';
import { localConfig, startGateway } from '../../gateway/src/index.ts';

/**
 * The part of the lab's API this test uses. The lab is loaded by a computed path so that this project's
 * typecheck (which has the DOM library, for the page) does not compile the lab's Node-only sources.
 */
interface LabModule {
  startLab(options: { latencyScale?: number }): Promise<{
    upstreams: Record<string, { baseUrl: string }>;
    setFault(name: string, fault: { mode: 'ok' | 'down' | 'slow' | 'error' | 'reset'; rate?: number; latencyMs?: number }): Promise<unknown>;
    close(): Promise<void>;
  }>;
  startTraffic(options: { gatewayUrl: string; clientKey: string; students: number; ratePerSecond?: number; rng: () => number; maxInFlight?: number }): { stop(): Promise<void> };
  createRng(seed: number): () => number;
  spokenWav(said: string): Uint8Array;
}
const LAB_ENTRY = new URL('../../lab/src/index.ts', import.meta.url).href;

export interface Stack {
  gatewayUrl: string;
  adminToken: string;
  /** The weight the gateway holds now for a component. */
  weight(component: Component): Promise<number>;
  /** Share of `students` new students the gateway routes to the production provider (real requests). */
  productionShare(component: 'stt', students: number): Promise<number>;
  /** Make the component's production upstream fail, in the lab. */
  injectFault(component: Component): Promise<void>;
  /** Clear that fault: the upstream answers normally again. */
  fixFault(component: Component): Promise<void>;
  close(): Promise<void>;
}

const PRODUCTION_UPSTREAM: Record<Component, 'groq' | 'faster-whisper' | 'coqui' | 'trocr'> = { llm: 'groq', stt: 'faster-whisper', tts: 'coqui', vision: 'trocr' };

/** One transcription for a student; answers the route the gateway chose (X-Bascule-Route). */
async function transcribe(gatewayUrl: string, clientKey: string, studentId: string, spokenWav: LabModule['spokenWav']): Promise<string | null> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(spokenWav('lapin'))], { type: 'audio/wav' }), 'mot.wav');
  form.append('model', 'whisper-1');
  form.append('language', 'fr');
  const response = await fetch(`${gatewayUrl}/v1/audio/transcriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientKey}`, 'x-student-id': studentId },
    body: form,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`POST /v1/audio/transcriptions: HTTP ${response.status}`);
  return response.headers.get('x-bascule-route');
}

/** `dashboardDir`: the built page, which the gateway serves under /dashboard/. */
export async function startStack(dashboardDir: string): Promise<Stack> {
  const { createRng, spokenWav, startLab, startTraffic } = (await import(/* @vite-ignore */ LAB_ENTRY)) as LabModule;
  const dir = mkdtempSync(join(tmpdir(), 'bascule-dashboard-e2e-'));
  const lab = await startLab({ latencyScale: 0.3 });
  const loaded = localConfig({ labUpstreams: lab.upstreams, env: {} });
  // Evaluate every 400 ms over a 1-minute window so an automatic rollback (3 evaluations) shows within
  // seconds; the class and the routing probe together exceed the default 600 requests a minute per key.
  loaded.config.analysis.intervalMs = 400;
  loaded.config.auth.rateLimitPerMinute = 100_000;
  const started = await startGateway({ loaded, storePath: join(dir, 'bascule.db'), logger: false, dashboardDir, windowMs: 60_000, stream: { metricsIntervalMs: 1_000 } });
  const clientKey = loaded.secrets.clientKeys[0]!.key;
  const traffic = startTraffic({ gatewayUrl: started.url, clientKey, students: 300, ratePerSecond: 20, rng: createRng(7), maxInFlight: 32 });
  const { runtime } = started.gateway;
  return {
    gatewayUrl: started.url,
    adminToken: loaded.secrets.adminToken,
    weight: async (c) => runtime.state(c).weight,
    productionShare: async (_component, students) => {
      let production = 0;
      for (let i = 0; i < students; i += 32) {
        const batch = Array.from({ length: Math.min(32, students - i) }, (_, k) => transcribe(started.url, clientKey, `student-${i + k}`, spokenWav));
        production += (await Promise.all(batch)).filter((route) => route === 'production').length;
      }
      return production / students;
    },
    injectFault: async (c) => void (await lab.setFault(PRODUCTION_UPSTREAM[c], { mode: 'error', rate: 1 })),
    fixFault: async (c) => void (await lab.setFault(PRODUCTION_UPSTREAM[c], { mode: 'ok' })),
    close: async () => {
      await traffic.stop();
      await started.close();
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
