export * from './normalise.ts';
export * from './align.ts';
export * from './check.ts';
export * from './error-rate.ts';
