// The criteria's history, for the page's "how did the verdict evolve" chart. Kept in memory, bounded: one
// point a minute per component (and one whenever a verdict changes, so a flip between two minutes shows),
// at most `capacity` points (48 h by default: a step's minimum time). A restart starts it again; the
// long-term record of what happened is the audit log and the minute rollups, not this.
import type { Component, Evaluation, GoVerdict, CriterionVerdict } from '@bascule/routing';

export interface CriteriaHistoryPoint {
  at: number;
  verdict: GoVerdict;
  criteria: Array<{ id: string; measured: number | null; verdict: CriterionVerdict }>;
}

export interface CriteriaHistoryOptions {
  /** Least time between two points whose verdicts are the same (default 1 min). */
  everyMs: number;
  /** Points kept per component (default 2 880: 48 h at one a minute). */
  capacity: number;
}

export class CriteriaHistory {
  private readonly points = new Map<Component, CriteriaHistoryPoint[]>();
  private readonly options: CriteriaHistoryOptions;

  constructor(options: Partial<CriteriaHistoryOptions> = {}) {
    this.options = { everyMs: options.everyMs ?? 60_000, capacity: options.capacity ?? 2_880 };
  }

  record(component: Component, at: number, evaluation: Evaluation): void {
    const list = this.points.get(component) ?? [];
    this.points.set(component, list);
    const point: CriteriaHistoryPoint = { at, verdict: evaluation.verdict, criteria: evaluation.criteria.map((c) => ({ id: c.id, measured: c.measured, verdict: c.verdict })) };
    const last = list.at(-1);
    if (last && at - last.at < this.options.everyMs && signature(last) === signature(point)) return;
    if (last && at <= last.at) list[list.length - 1] = point;
    else list.push(point);
    if (list.length > this.options.capacity) list.splice(0, list.length - this.options.capacity);
  }

  /** Oldest first. */
  of(component: Component): readonly CriteriaHistoryPoint[] {
    return this.points.get(component) ?? [];
  }
}

function signature(p: CriteriaHistoryPoint): string {
  return `${p.verdict}|${p.criteria.map((c) => `${c.id}=${c.verdict}`).join(',')}`;
}
