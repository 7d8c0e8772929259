// Abort controllers of hedged attempts, reused from one request to the next. Node 20 makes each AbortSignal
// a slow object (its prototype is set after it is made): making one and adding the first listener to it
// cost more than the rest of a hedged route together (docs/benchmarks.md). An attempt's controller that was
// never aborted, and whose signal nobody listens to any more, is as good as new: the next request takes it.
//
// Only for requests whose attempts let go of their signal when they settle: the executor lends its pool to
// `run` (the answer is read whole before the attempt settles), never to `runStreaming`, whose winner reads
// its stream after the route ended, through AbortSignal.any (dependants no listener count shows): a later
// request aborting the same signal would cut it.
import { getEventListeners } from 'node:events';
import type { ControllerSource } from '@bascule/routing';

export class SignalPool implements ControllerSource {
  private readonly free: AbortController[] = [];

  /** `size`: controllers kept at most, about the hedged requests in flight at once; beyond, new ones are made. */
  constructor(readonly size = 1_024) {}

  /** A controller whose signal is not aborted and has no listener. */
  take(): AbortController {
    return this.free.pop() ?? new AbortController();
  }

  /** Hands a controller back; kept only if never aborted and nobody listens to its signal any more. */
  give(controller: AbortController): void {
    const { signal } = controller;
    if (signal.aborted || this.free.length >= this.size || getEventListeners(signal, 'abort').length > 0) return;
    this.free.push(controller);
  }

  /** How many controllers wait to be reused. */
  get pooled(): number {
    return this.free.length;
  }
}
