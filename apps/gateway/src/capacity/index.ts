// Capacity (issue 15): the service time the model images report, measured per host, and the forecast of
// how busy a self-hosted provider's hosts will be at the next step. See docs/capacity.md.
export * from './service-time.ts';
export * from './busy-header.ts';
export * from './llama-timings.ts';
export * from './answer-busy.ts';
export * from './peak-rate.ts';
export * from './provider-capacity.ts';
export * from './forecaster.ts';
