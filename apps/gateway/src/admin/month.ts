// The `month` query parameter of `GET /admin/v1/costs`: `YYYY-MM`; undefined (the current month) when omitted.
import { AdminError } from './errors.ts';

export function monthParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return value;
  const given = Array.isArray(value) ? `${value.length} values` : JSON.stringify(value);
  throw new AdminError('invalid_request', `month: expected a month as YYYY-MM (e.g. 2026-12), got ${given}`, 'month');
}
