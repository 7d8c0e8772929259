export * from './routes.ts';
export * from './auth.ts';
export * from './stream.ts';
