// @bascule/infra: the Pulumi program's pieces, for the plan CLI and the tests.
export * from './config.ts';
export * from './phases.ts';
export * from './gpu-budget.ts';
export * from './image-manifest.ts';
export * from './gateway-config.ts';
export { program } from './program.ts';
