// What an operator action will change, shown before it is confirmed, and the request it sends.
import type { BlockerView, ComponentView, Status } from './types.ts';

export type ActionKind = 'weight' | 'promote' | 'rollback' | 'resume';

export interface PlannedChange {
  field: 'weight' | 'status' | 'step';
  from: string;
  to: string;
}

export interface ActionRequest {
  method: 'PUT' | 'POST';
  path: string;
  body: { reason: string; weight?: number; override?: { reason: string } };
}

/** A field the person must correct; `messageKey` is the dictionary's sentence for people. */
export class ActionInputError extends Error {
  constructor(
    readonly field: 'weight' | 'reason' | 'override',
    readonly messageKey: 'weightInvalid' | 'reasonTooShort' | 'overrideTooShort',
  ) {
    super(`${field}: ${messageKey}`);
  }
}

export function validateWeight(raw: string): number {
  const weight = Number(raw.replace(',', '.'));
  if (raw.trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100) throw new ActionInputError('weight', 'weightInvalid');
  return Math.round(weight * 100) / 100;
}

export function validateReason(raw: string, field: 'reason' | 'override' = 'reason'): string {
  const reason = raw.trim();
  if (reason.length < 3) throw new ActionInputError(field, field === 'reason' ? 'reasonTooShort' : 'overrideTooShort');
  return reason;
}

/** What the gateway's last snapshot says would block the action now (the gateway decides again on submit). */
export function blockersFor(c: ComponentView, kind: ActionKind, weight?: number): BlockerView[] {
  const gates = c.plan.gates;
  if (!gates) return [];
  if (kind === 'promote') return gates.promote;
  if (kind === 'weight' && weight !== undefined && weight > c.weight) return gates.raise;
  return [];
}

/** Which actions make sense for a component in its current state. */
export function availableActions(c: ComponentView): ActionKind[] {
  const actions: ActionKind[] = ['weight'];
  if (c.status === 'rollback') return [...actions, 'resume'];
  if (c.status !== 'production') actions.push('promote');
  if (c.weight > 0 || c.status === 'migrating' || c.status === 'production') actions.push('rollback');
  return actions;
}

function statusAfterWeight(c: ComponentView, weight: number): Status | 'unknown' {
  if (c.status === 'rollback') return c.status;
  if (weight === 0) return 'mvp';
  if (weight === 100) return 'production';
  return 'migrating';
}

/** The expected change; the gateway is the authority, the page shows its answer once applied. */
export function plannedChanges(c: ComponentView, kind: ActionKind, weight?: number): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const push = (field: PlannedChange['field'], from: string | number, to: string | number): void => {
    if (String(from) !== String(to)) changes.push({ field, from: String(from), to: String(to) });
  };
  switch (kind) {
    case 'weight': {
      const next = weight ?? c.weight;
      push('weight', `${c.weight} %`, `${next} %`);
      push('status', c.status, statusAfterWeight(c, next));
      break;
    }
    case 'promote': {
      const next = c.step.nextWeight;
      push('weight', `${c.weight} %`, next === null ? '?' : `${next} %`);
      push('status', c.status, next === 100 ? 'production' : 'migrating');
      break;
    }
    case 'rollback':
      push('weight', `${c.weight} %`, '0 %');
      push('status', c.status, 'rollback');
      break;
    case 'resume': {
      // A resume restarts at the plan's first step, with a fresh analysis.
      const first = c.plan.steps[0]?.weight ?? c.step.planWeights[0] ?? null;
      push('weight', `${c.weight} %`, first === null ? '?' : `${first} %`);
      push('status', c.status, 'migrating');
      push('step', c.step.index === null ? '—' : String(c.step.index + 1), '1');
      break;
    }
  }
  return changes;
}

export function actionRequest(component: string, kind: ActionKind, reason: string, weight?: number, override?: string): ActionRequest {
  const base = `/admin/v1/components/${encodeURIComponent(component)}`;
  const extra = override === undefined ? {} : { override: { reason: override } };
  if (kind === 'weight') return { method: 'PUT', path: `${base}/weight`, body: { weight: weight ?? 0, reason, ...extra } };
  return { method: 'POST', path: `${base}/${kind}`, body: { reason, ...extra } };
}
