// @bascule/routing: the migration engine. Pure functions and state machines; time is injected.
// The API at a glance is in docs/architecture.md.
export * from './types.ts';
export * from './cohort.ts';
export * from './plan.ts';
export * from './failure.ts';
export * from './router.ts';
export * from './hedge.ts';
export * from './breaker.ts';
export * from './metrics.ts';
export * from './criteria.ts';
export * from './capacity.ts';
export * from './analysis.ts';
export * from './controller.ts';
export * from './analysis-window.ts';
export * from './gates.ts';
export * from './cost.ts';
export * from './roi.ts';
export * from './satisfaction.ts';
