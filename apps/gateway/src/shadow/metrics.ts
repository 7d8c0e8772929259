// The shadow comparison in /metrics: what the runner did per component (sampled, dropped past the budget or
// the bound, failed, compared), read from its counts when Prometheus scrapes; nothing on the request path.
import type { Component } from '@bascule/routing';
import { Counter, type Registry } from 'prom-client';
import type { ShadowCounts } from './admission.ts';
import type { ShadowRunner } from './runner.ts';

const OUTCOMES: readonly (keyof ShadowCounts)[] = ['sampled', 'dropped', 'failed', 'compared'];

export function registerShadowMetrics(registry: Registry, runner: ShadowRunner, components: readonly Component[]): void {
  const reported = new Map<string, number>();
  new Counter({
    name: 'bascule_shadow_requests_total',
    help: 'Shadow comparison of MVP-served requests per component: sampled, dropped (budget or concurrency bound), failed, compared.',
    labelNames: ['component', 'outcome'],
    registers: [registry],
    collect() {
      for (const component of components) {
        const counts = runner.counts(component);
        for (const outcome of OUTCOMES) {
          const key = `${component}|${outcome}`;
          const delta = counts[outcome] - (reported.get(key) ?? 0);
          if (delta > 0) this.inc({ component, outcome }, delta);
          reported.set(key, counts[outcome]);
        }
      }
    },
  });
}
