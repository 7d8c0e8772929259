export * from './types.ts';
export * from './sqlite/store.ts';
export * from './sqlite/schema.ts';
export * from './postgres/store.ts';
export * from './postgres/schema.ts';
export * from './open.ts';
export * from './health.ts';
