// The admin API's hold on the shadow comparison: the settings in force and what the runner did, and a
// change of settings with its reason in the audit log (`shadow-settings`; the rollout state is unchanged,
// so `from` and `to` are the same snapshot). The change applies on this gateway at once, whether or not the
// audit write succeeds: it is an operator's setting, not a migration decision.
import type { ShadowConfig, ShadowSettingsResponse } from '@bascule/contracts';
import { snapshotOf, type Clock, type Component, type RolloutState } from '@bascule/routing';
import type { GatewayStore } from '../store/index.ts';
import type { ShadowRunner } from './runner.ts';

export interface ShadowControlOptions {
  runner: ShadowRunner;
  store: Pick<GatewayStore, 'recordEvent'>;
  state(component: Component): RolloutState;
  clock?: Clock;
}

export class ShadowControl {
  constructor(private readonly options: ShadowControlOptions) {}

  view(component: Component): ShadowSettingsResponse {
    return { component, settings: { ...this.options.runner.settings.get(component) }, counts: this.options.runner.counts(component) };
  }

  async change(component: Component, settings: ShadowConfig, reason: string, actor: string): Promise<ShadowSettingsResponse> {
    this.options.runner.settings.set(component, settings);
    const snap = snapshotOf(this.options.state(component));
    const at = this.options.clock?.now() ?? Date.now();
    await this.options.store.recordEvent({ at, component, actor, action: 'shadow-settings', reason: `${describeShadow(settings)}: ${reason}`, from: snap, to: snap });
    return this.view(component);
  }
}

/** "shadow on: 20 % sampled, at most 60 a minute and 4 at once, 10000 ms deadline", or "shadow off". */
export function describeShadow(s: ShadowConfig): string {
  if (!s.enabled) return 'shadow off';
  return `shadow on: ${Math.round(s.sampleRate * 1000) / 10} % sampled, at most ${s.maxPerMinute} a minute and ${s.maxConcurrent} at once, ${s.timeoutMs} ms deadline`;
}
