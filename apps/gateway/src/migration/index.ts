export * from './runtime.ts';
export * from './migrations.ts';
export * from './plans.ts';
export * from './views.ts';
