// The MVP provider's cost per request, the reference of the cost criterion (stt: "cost < 50 % of the MVP's").
// Measured from the MVP's own traffic when there is enough of it; otherwise priced by the config's cost
// model for a typical request — at 100 % the MVP sees only fallbacks, and the criterion must stay decidable.
import { requestCost, type Component, type CostModel, type ProviderId, type Usage, type WindowStats } from '@bascule/routing';

/**
 * What one request of the reading app typically consumes, in each provider's billing units: an exercise or
 * feedback of a few hundred tokens, a child reading a word aloud (3 s of audio, as the plan counts), a
 * sentence read aloud, one handwritten letter.
 */
export const TYPICAL_USAGE: Readonly<Record<Component, Usage>> = {
  llm: { tokens: 600 },
  stt: { audioSeconds: 3 },
  tts: { characters: 80 },
  vision: { images: 1 },
};

export interface MvpCostInput {
  mvpProvider: ProviderId;
  component: Component;
  /** The MVP provider's window (the step's). */
  mvp: WindowStats;
  /** Below this many MVP requests, the measured cost is too noisy: the cost model decides. */
  minRequests: number;
  costModel: CostModel | undefined;
  typicalUsage?: Usage;
}

/** Euros per request of the MVP provider, or null when neither traffic nor a cost model gives one. */
export function mvpCostPerRequest(o: MvpCostInput): number | null {
  if (o.mvp.requests >= o.minRequests && o.mvp.costPerRequestEur !== null) return o.mvp.costPerRequestEur;
  if (!o.costModel) return null;
  try {
    return requestCost(o.costModel, o.mvpProvider, o.typicalUsage ?? TYPICAL_USAGE[o.component]);
  } catch {
    return null; // a price in a unit the typical usage does not give: no reference rather than a wrong one
  }
}
