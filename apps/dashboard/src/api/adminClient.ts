// Calls to the gateway's admin API: JSON in and out, the admin token as a bearer token (or none behind
// Cloudflare Access, where the edge authenticates the person), a timeout on every call, and errors that
// carry the gateway's own message (`{"error":{"code","message"}}`).
import { normalizeCosts, normalizeCriteria, normalizeEvents, normalizeHistory } from '../model/normalize.ts';
import { normalizeSatisfaction, type SatisfactionView } from '../model/satisfaction.ts';
import type { MonthCostsView } from '../model/costs.ts';
import { actionRequest, type ActionKind } from '../model/actions.ts';
import { isObject, readArray, readNumber, readString, type Json } from '../model/read.ts';
import { bucketFor, type Range } from '../model/series.ts';
import type { AuditEventView, BlockerView, CriteriaView, HistoryPoint } from '../model/types.ts';
import { normalizeQuality, type ListeningTestCheck, type QualityView } from '../model/quality.ts';

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For `blocked` (409): what blocks the action. */
    readonly blockers: BlockerView[] = [],
  ) {
    super(message);
  }
}

export interface AdminClient {
  /** The components' summaries as sent (the page patches them from the stream, then normalizes). */
  components(): Promise<Json[]>;
  criteria(id: string): Promise<CriteriaView>;
  events(component?: string): Promise<AuditEventView[]>;
  history(id: string, range: Range): Promise<HistoryPoint[]>;
  /** The users' ratings over a range, the last hour by default (null when the gateway's answer is not understood). */
  satisfaction(id: string, range?: Range): Promise<SatisfactionView | null>;
  /**
   * The quality results of the last `spanMs` per provider: one benchmark (`shadow:agreement`) merged per
   * `bucketMs`, or every result but the shadow rows (the benchmarks and listening tests).
   */
  quality(id: string, spanMs: number, only: { benchmark: string; bucketMs: number } | 'benchmarks'): Promise<QualityView>;
  /** Records a quality result (a listening test); answers once the gateway stored it. */
  recordQuality(id: string, body: Extract<ListeningTestCheck, { ok: true }>['body']): Promise<void>;
  /** This month's recorded costs (null when the gateway's answer is not understood). */
  costs(): Promise<MonthCostsView | null>;
  /** Answers the component's updated summary. */
  act(id: string, kind: ActionKind, reason: string, weight?: number, override?: string): Promise<Json | null>;
  streamUrl: string;
}

const TIMEOUT_MS = 10_000;

export function createAdminClient(baseUrl: string, token: string | null): AdminClient {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        credentials: 'same-origin',
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new AdminApiError(0, timedOut ? 'timeout' : 'network', timedOut ? `${method} ${path}: no answer in ${TIMEOUT_MS / 1000} s` : `${method} ${path}: gateway unreachable`);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const message = readString(json, 'error.message', 'message') ?? `${method} ${path}: HTTP ${response.status}`;
      const blockers = readArray(json, 'error.blockers').map((b) => ({ code: (readString(b, 'code') ?? 'other') as BlockerView['code'], message: readString(b, 'message') ?? '' }));
      throw new AdminApiError(response.status, readString(json, 'error.code', 'code') ?? `http_${response.status}`, message, blockers);
    }
    return json;
  }

  const base = '/admin/v1';
  const path = (id: string): string => `${base}/components/${encodeURIComponent(id)}`;
  return {
    components: async () => readArray(await call('GET', `${base}/components`), 'components').filter(isObject),
    criteria: async (id) => normalizeCriteria(await call('GET', `${path(id)}/criteria`)),
    events: async (component) => normalizeEvents(await call('GET', `${base}/events${component ? `?component=${encodeURIComponent(component)}` : ''}`)),
    history: async (id, range) => {
      const answer = await call('GET', `${path(id)}/history?range=${range}`);
      // The gateway says its bucket width (`bucketMs`); the page's own choice covers a gateway that does not.
      return normalizeHistory(answer, readNumber(answer, 'bucketMs') ?? bucketFor(range));
    },
    quality: async (id, spanMs, only) => {
      const from = new Date(Date.now() - spanMs).toISOString();
      const filter = only === 'benchmarks' ? 'shadow=false' : `benchmark=${encodeURIComponent(only.benchmark)}&bucketMs=${only.bucketMs}`;
      return normalizeQuality(await call('GET', `${path(id)}/quality?from=${encodeURIComponent(from)}&${filter}`));
    },
    recordQuality: async (id, body) => {
      await call('POST', `${path(id)}/quality`, body);
    },
    costs: async () => normalizeCosts(await call('GET', `${base}/costs`)),
    satisfaction: async (id, range = '1h') => normalizeSatisfaction(await call('GET', `${path(id)}/satisfaction?range=${range}`)),
    act: async (id, kind, reason, weight, override) => {
      const request = actionRequest(id, kind, reason, weight, override);
      const answer = await call(request.method, request.path, request.body);
      return isObject(answer) && typeof answer.component === 'string' ? answer : null;
    },
    streamUrl: `${baseUrl}${base}/stream`,
  };
}
