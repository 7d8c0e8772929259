export * from './feed.ts';
export * from './lease.ts';
export * from './postgres-lease.ts';
export * from './state-sync.ts';
