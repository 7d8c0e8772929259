export * from './executor.ts';
export * from './headers.ts';
