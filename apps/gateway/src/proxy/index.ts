export * from './executor.ts';
export * from './headers.ts';
export * from './standby.ts';
