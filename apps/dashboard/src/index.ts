// The dashboard's pure parts, for tests and for tools that want the same view of the admin API.
export * from './model/types.ts';
export * from './model/normalize.ts';
export * from './model/overview.ts';
export * from './model/costs.ts';
export * from './model/actions.ts';
export * from './model/series.ts';
export * from './model/format.ts';
export * from './live/sseParser.ts';
export * from './live/reconnect.ts';
