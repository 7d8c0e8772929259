// What a message of the admin stream means for the page: a full snapshot of the components, one
// component's new state, or "something changed, refetch".
import { normalizeComponent, normalizeComponents } from '../model/normalize.ts';
import { isObject, readArray } from '../model/read.ts';
import type { ComponentView } from '../model/types.ts';
import type { SseMessage } from './sseParser.ts';

export type StreamUpdate = { kind: 'snapshot'; components: ComponentView[] } | { kind: 'component'; component: ComponentView } | { kind: 'changed' };

export function interpretMessage(message: SseMessage): StreamUpdate {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return { kind: 'changed' };
  }
  const payload = isObject(data) && isObject(data.data) && !Array.isArray(data.components) ? data.data : data;
  if (readArray(payload, 'components').length > 0 || Array.isArray(payload)) return { kind: 'snapshot', components: normalizeComponents(payload) };
  if (isObject(payload) && typeof payload.component === 'string' && typeof payload.status === 'string' && typeof payload.weight === 'number') {
    return { kind: 'component', component: normalizeComponent(payload) };
  }
  if (isObject(payload) && isObject(payload.component) && typeof payload.component.component === 'string') {
    return { kind: 'component', component: normalizeComponent(payload.component) };
  }
  return { kind: 'changed' };
}

export function applyUpdate(current: ComponentView[], update: StreamUpdate): ComponentView[] {
  if (update.kind === 'snapshot') return update.components;
  if (update.kind === 'component') {
    const found = current.some((c) => c.component === update.component.component);
    return found ? current.map((c) => (c.component === update.component.component ? update.component : c)) : [...current, update.component];
  }
  return current;
}
