// The model images take the gateway's remaining budget for a call (SERVICE_DEADLINE_HEADER, whole ms): past
// it they answer 504 and drop queued work, so a GPU does not keep working for a gateway that has fallen back.
import { SERVICE_DEADLINE_HEADER } from '@bascule/contracts';

export function deadlineHeader(timeoutMs: number): Record<string, string> {
  return { [SERVICE_DEADLINE_HEADER]: String(Math.max(1, Math.floor(timeoutMs))) };
}
