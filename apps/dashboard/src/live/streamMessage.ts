// What a message of the admin stream (GET /admin/v1/stream) does to the page's copy of the components.
// Per the contract: `state` carries a whole ComponentSummary, `metrics` its measurements, `alert` one
// alert firing or resolved, `event` an audit event. The page keeps the raw payloads and patches them, so
// a `metrics` message updates numbers without losing the status or the plan; an `alert` only says that
// the `state` following it (the whole new snapshot) has changed alerts.
import { isObject, readString, type Json } from '../model/read.ts';
import type { SseMessage } from './sseParser.ts';

export type StreamUpdate =
  | { kind: 'snapshot'; components: Json[] }
  | { kind: 'state'; component: Json }
  | { kind: 'metrics'; component: string; patch: Json }
  | { kind: 'alert'; component: string; firing: boolean; alert: Json }
  | { kind: 'event'; component: string | null }
  | { kind: 'changed' };

export function interpretMessage(message: SseMessage): StreamUpdate {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return { kind: 'changed' };
  }
  if (!isObject(data)) return { kind: 'changed' };
  const component = readString(data, 'component');
  switch (message.event) {
    case 'state':
      if (Array.isArray(data.components)) return { kind: 'snapshot', components: data.components.filter(isObject) };
      return component ? { kind: 'state', component: data } : { kind: 'changed' };
    case 'metrics': {
      if (!component) return { kind: 'changed' };
      const patch: Json = {};
      // The gateway's snapshot: with its alerts, verdict and gates too, every figure comes from one evaluation.
      for (const key of ['metrics', 'providers', 'health', 'alerts', 'evaluatedAt', 'analysis', 'stepTime', 'verdict', 'criteria', 'gates', 'capacity'] as const) if (key in data) patch[key] = data[key];
      return { kind: 'metrics', component, patch };
    }
    case 'alert':
      if (!component || !isObject(data.alert)) return { kind: 'changed' };
      return { kind: 'alert', component, firing: data.state !== 'resolved', alert: data.alert };
    case 'event':
      return { kind: 'event', component };
    default:
      return { kind: 'changed' };
  }
}

function patchComponent(current: Json[], component: string, patch: (c: Json) => Json): Json[] {
  return current.map((c) => (readString(c, 'component') === component ? patch(c) : c));
}

export function applyUpdate(current: Json[], update: StreamUpdate): Json[] {
  switch (update.kind) {
    case 'snapshot':
      return update.components;
    case 'state': {
      const id = readString(update.component, 'component');
      const found = current.some((c) => readString(c, 'component') === id);
      return found ? patchComponent(current, id ?? '', () => update.component) : [...current, update.component];
    }
    case 'metrics':
      return patchComponent(current, update.component, (c) => ({ ...c, ...update.patch }));
    case 'alert':
      // Not patched in alone: next to figures of an earlier snapshot it would disagree with them. The
      // gateway follows it with the component's `state` (its whole new snapshot), which the page applies.
      return current;
    default:
      return current;
  }
}
