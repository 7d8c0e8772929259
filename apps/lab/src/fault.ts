// The fault state of one upstream, as set through the control API.
import type { FaultRequest } from '@bascule/contracts';

export type Fault = FaultRequest;

export const HEALTHY: Fault = { mode: 'ok' };

/** Whether this request should get an error, given the fault's rate (default: every request). */
export function shouldFail(fault: Fault, draw: number): boolean {
  return fault.mode === 'error' && draw < (fault.rate ?? 1);
}

/** Status of an injected error: mostly 503 (overloaded), one in three 500 (crashed handler). */
export function injectedStatus(draw: number): 500 | 503 {
  return draw < 1 / 3 ? 500 : 503;
}
