// The providers a run compares, with their adapters built from a gateway config exactly as the gateway
// builds them (createAdapters: base URLs, host pools, timeouts, API keys), and the config's price list.
import { costModelFromConfig } from '@bascule/contracts';
import type { Component, CostModel, ProviderId } from '@bascule/routing';
import { createAdapters } from '../../src/adapters/index.ts';
import type { LoadedConfig } from '../../src/config/index.ts';
import type { BenchTarget } from './runner.ts';

export function benchTargets(loaded: LoadedConfig, component: Component, only?: readonly ProviderId[]): { targets: BenchTarget[]; costModel: CostModel } {
  const settings = loaded.config.components[component];
  if (!settings) throw new Error(`${component}: not in the gateway config (${loaded.source})`);
  const adapters = createAdapters(loaded.config, loaded.secrets.providerApiKeys);
  const wanted = only ?? [settings.mvp, settings.production];
  const targets = wanted.map((provider) => {
    const adapter = adapters.get(provider);
    if (!adapter) throw new Error(`${provider}: not configured for ${component} in ${loaded.source}`);
    return { provider, role: provider === settings.mvp ? ('mvp' as const) : ('production' as const), adapter };
  });
  return { targets, costModel: costModelFromConfig(loaded.config) };
}
