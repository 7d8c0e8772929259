// The engine (libs/routing) produces what the admin API carries: its criteria, audit snapshots, alerts,
// breaker states and prices must keep fitting these schemas' types, or the gateway would need glue that
// silently drifts. Checked by the compiler (tsc runs over test/) and by parsing one engine value each.
import type * as routing from '@bascule/routing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AlertSchema,
  CriterionSchema,
  RolloutStateSchema,
  RollupSchema,
  type Alert,
  type BreakerState,
  type Criterion,
  type GoVerdict,
  type Pricing,
  type RolloutState,
  type Rollup,
} from '../src/index.ts';

describe('libs/routing values fit the admin API', () => {
  it('type by type', () => {
    expectTypeOf<routing.CriterionResult>().toExtend<Criterion>();
    expectTypeOf<routing.GoVerdict>().toEqualTypeOf<GoVerdict>();
    expectTypeOf<routing.StateSnapshot>().toEqualTypeOf<RolloutState>();
    expectTypeOf<routing.BreakerState>().toEqualTypeOf<BreakerState>();
    expectTypeOf<routing.Pricing>().toEqualTypeOf<Pricing>();
    expectTypeOf<Omit<routing.Alert, 'component'> & { since: string; evaluations: number }>().toExtend<Alert>();
    expectTypeOf<routing.MinuteRollup>().toEqualTypeOf<Rollup>();
  });

  it('value by value', () => {
    const criterion: routing.CriterionResult = {
      id: 'p95_latency', label: 'p95 latency', comparator: '<', target: 1500, unit: 'ms', minSamples: 100, measured: 820, samples: 400, verdict: 'PASS',
    };
    expect(CriterionSchema.parse(criterion)).toEqual(criterion);
    const snapshot: routing.StateSnapshot = { status: 'migrating', weight: 10, step: 0 };
    expect(RolloutStateSchema.parse(snapshot)).toEqual(snapshot);
    const alert: routing.Alert = {
      id: 'stt:faster-whisper:error_rate', severity: 'critical', metric: 'error_rate', message: 'error rate 12 % > 5 %',
      component: 'stt', provider: 'faster-whisper', value: 0.12, threshold: 0.05,
    };
    const { component: _component, ...carried } = alert;
    expect(AlertSchema.parse({ ...alert, since: '2026-11-24T10:00:00Z', evaluations: 2 })).toEqual({ ...carried, since: '2026-11-24T10:00:00Z', evaluations: 2 });
  });

  it('a rollup as the engine builds it', () => {
    const rollup: routing.MinuteRollup = {
      minute: 1_764_000_000_000, component: 'stt', provider: 'faster-whisper', route: 'production',
      count: 3, errors: 1, latencySumMs: 2.6, costEur: 0.002, histogram: { counts: [1, 2], min: 0.5, max: 1.05 },
    };
    expect(RollupSchema.parse(rollup)).toEqual(rollup);
  });
});
