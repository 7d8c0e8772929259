// Which production providers back their MVP up before their component's migration starts: those whose
// config says `fallbackForMvp` (deployed and warm). Read once from the config, asked per MVP-cohort request.
import type { GatewayConfig } from '@bascule/contracts';
import { COMPONENTS, type ProviderId } from '@bascule/routing';

export function standbyCandidates(config: GatewayConfig): Set<ProviderId> {
  const standby = new Set<ProviderId>();
  for (const component of COMPONENTS) {
    const c = config.components[component];
    if (c?.providers[c.production]?.fallbackForMvp === true) standby.add(c.production);
  }
  return standby;
}
