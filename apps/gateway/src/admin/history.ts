// The `range` query parameter of `GET /admin/v1/components/{component}/history`: 1h when omitted.
import { HISTORY_RANGES, type HistoryRange } from '@bascule/contracts';
import { AdminError } from './errors.ts';

export function historyRange(value: unknown): HistoryRange {
  if (value === undefined) return '1h';
  if (typeof value === 'string' && (HISTORY_RANGES as readonly string[]).includes(value)) return value as HistoryRange;
  const given = Array.isArray(value) ? `${value.length} values` : JSON.stringify(value);
  throw new AdminError('invalid_request', `range: expected one of ${HISTORY_RANGES.join(', ')}, got ${given}`, 'range');
}
