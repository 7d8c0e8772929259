export * from './store.ts';
export * from './schema.ts';
