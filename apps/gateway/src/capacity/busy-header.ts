// Reading `X-Bascule-Busy-Ms` off an upstream's answer: one header, looked up once per successful call, and
// only for the hosts of a provider we run (a paid API's calls carry no sink and pay nothing).
import { SERVICE_BUSY_HEADER } from '@bascule/contracts';
import type { BusySink } from './service-time.ts';

const NAME = SERVICE_BUSY_HEADER.toLowerCase();
const NAME_BYTES = Buffer.from(NAME);

/** From undici's raw headers (name, value, name, value… as Buffers): the dispatch handler's view. */
export function recordBusyFromRaw(raw: readonly Buffer[] | null | undefined, sink: BusySink): void {
  if (!raw) return;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // Header names are case-insensitive; a same-length name is the only one worth lowering.
    if (name.length === NAME_BYTES.length && name.toString('latin1').toLowerCase() === NAME) {
      recordText(raw[i + 1]!.toString('latin1'), sink);
      return;
    }
  }
}

/** From a parsed header object (undici's `request`, lower-case names). */
export function recordBusyFromHeaders(headers: Record<string, string | string[] | undefined>, sink: BusySink): void {
  const value = headers[NAME];
  if (typeof value === 'string') recordText(value, sink);
}

/** A decimal number of ms; anything else (empty, text) is no sample rather than a 0 ms one. */
function recordText(text: string, sink: BusySink): void {
  if (text.trim() === '') return;
  const ms = Number(text);
  if (Number.isFinite(ms)) sink.record(ms);
}
