// @bascule/contracts: the shapes every part of Bascule agrees on, as zod schemas and their types.
export * from './vocabulary.ts';
export * from './errors.ts';
export * from './public-api.ts';
export * from './admin-api.ts';
export * from './services.ts';
export * from './duration.ts';
export * from './config.ts';
export * from './secrets.ts';
export * from './lab-api.ts';
export * from './cost-model.ts';
export * from './letter-case.ts';
export * from './cost-plan.ts';
export * from './criteria-table.ts';
export * from './satisfaction.ts';
