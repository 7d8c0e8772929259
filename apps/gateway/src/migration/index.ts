export * from './runtime.ts';
export * from './migrations.ts';
export * from './plans.ts';
export * from './webhook.ts';
export * from './views.ts';
