// The part of autocannon's API the bench uses. autocannon ships no types, and @types/autocannon would be one
// more dependency for a few fields; this keeps bench/ under the same strict typecheck as the gateway.
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    body?: string;
    timeout?: number;
  }
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    total: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  /** The running instance: a promise of the result that also emits each failed request. */
  interface Instance extends Promise<Result> {
    on(event: 'reqError', listener: (error: Error & { code?: string }) => void): this;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
