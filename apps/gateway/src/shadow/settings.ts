// Each component's shadow comparison settings on this gateway: from the config at start, changed at run time
// through the admin API (`PUT /admin/v1/components/{c}/shadow`). Per replica: a change made through one
// gateway applies to that gateway only (the config file is what every replica starts with; decision 0015).
import { DEFAULT_SHADOW, type ShadowConfig } from '@bascule/contracts';
import type { Component } from '@bascule/routing';

export class ShadowSettings {
  private readonly current = new Map<Component, ShadowConfig>();

  constructor(initial: Partial<Record<Component, ShadowConfig>> = {}) {
    for (const [component, settings] of Object.entries(initial) as [Component, ShadowConfig][]) this.current.set(component, { ...settings });
  }

  /** The settings in force (the defaults, off, for a component never configured). */
  get(component: Component): ShadowConfig {
    return this.current.get(component) ?? DEFAULT_SHADOW;
  }

  set(component: Component, settings: ShadowConfig): void {
    this.current.set(component, { ...settings });
  }

  /** The request path's first question: one map read, nothing else, when shadow is off. */
  enabled(component: Component): boolean {
    return this.current.get(component)?.enabled === true;
  }
}
