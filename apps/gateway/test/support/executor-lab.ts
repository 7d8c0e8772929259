// The executor's tests share one world: the lab's real wire formats (latency 0, faults cleared before each
// test) and an Executor over a FakeRuntime with the adapters the config builds for the lab.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import type { Component } from '@bascule/routing';
import { createAdapters, type ChatAdapter } from '../../src/adapters/index.ts';
import type { GatewayMetrics } from '../../src/metrics/index.ts';
import { Executor } from '../../src/proxy/index.ts';
import { costModelFromConfig } from '@bascule/contracts';
import { FakeRuntime, labConfig, LAB_PROVIDER_KEYS } from './public-stack.ts';
import { ClientWatch } from '../../src/http/client-signal.ts';

export interface LabWorld {
  /** Set once the file's beforeAll has run. */
  lab: Lab;
  /** How many requests the named lab upstream has received so far. */
  requestsTo(upstream: string): number;
}

/** Call at the top of a test file: starts the lab before its tests, clears faults before each, closes it after. */
export function useLab(): LabWorld {
  const world: LabWorld = {
    lab: undefined as unknown as Lab,
    requestsTo: (upstream) => world.lab.state().find((u) => u.name === upstream)!.requests,
  };
  beforeAll(async () => {
    world.lab = await startLab({ latencyScale: 0 });
  });
  afterAll(async () => {
    await world.lab.close();
  });
  beforeEach(async () => {
    await world.lab.resetFaults();
  });
  return world;
}

export interface LabExecutorOptions {
  /** Production weight per component (0 when not named). */
  weights: Partial<Record<Component, number>>;
  slaMs: number;
  metrics?: GatewayMetrics;
  maxAttempts?: number;
}

/** An Executor over the lab; `chat` asks the llm one short question as student `eleve-1`. */
export function labExecutor(lab: Lab, options: LabExecutorOptions) {
  const { config } = labConfig(lab);
  const runtime = new FakeRuntime(options.weights, options.slaMs);
  const exec = new Executor({ runtime, adapters: createAdapters(config, LAB_PROVIDER_KEYS), costModel: costModelFromConfig(config), metrics: options.metrics ?? null, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) });
  const chat = (client?: ClientWatch) =>
    exec.run('llm', 'eleve-1', (provider, ctx) => exec.adapterFor<ChatAdapter>(provider, 'chat').complete({ messages: [{ role: 'user', content: 'Bonjour' }] }, ctx), client);
  return { runtime, exec, chat };
}
