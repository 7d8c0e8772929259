export * from './app.ts';
export * from './config/index.ts';
export * from './migration/index.ts';
export * from './store/index.ts';
export * from './admin/index.ts';
export * from './coordination/index.ts';
