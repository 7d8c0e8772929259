// Admin API payloads → view models (see types.ts). Pure functions, tested in normalize.test.ts.
import { isObject, readArray, readNumber, readObject, readString, type Json } from './read.ts';
import type {
  AlertView,
  AuditEventView,
  BreakerState,
  ComponentView,
  CriteriaView,
  CriterionView,
  HistoryPoint,
  MetricsView,
  ProviderView,
  Status,
  Verdict,
} from './types.ts';

const STATUSES: readonly Status[] = ['mvp', 'migrating', 'production', 'rollback'];

function toStatus(value: string | null): Status | 'unknown' {
  return STATUSES.find((s) => s === value) ?? 'unknown';
}

function toBreaker(value: string | null): BreakerState {
  const v = value?.toLowerCase().replace('_', '-');
  if (v === 'closed' || v === 'open' || v === 'half-open') return v;
  if (v === 'halfopen') return 'half-open';
  return 'unknown';
}

/** Error rates may come as a ratio (0.05) or a percentage (5); the dashboard uses ratios. */
function toRatio(value: number | null): number | null {
  if (value === null) return null;
  return value > 1 ? value / 100 : value;
}

function readMetrics(source: unknown): MetricsView {
  return {
    p50Ms: readNumber(source, 'p50Ms', 'p50', 'latency.p50Ms', 'latency.p50', 'latencyP50Ms'),
    p95Ms: readNumber(source, 'p95Ms', 'p95', 'latency.p95Ms', 'latency.p95', 'latencyP95Ms'),
    errorRate: toRatio(readNumber(source, 'errorRate', 'error_rate', 'errors.rate')),
    requestsPerSecond: readNumber(source, 'requestsPerSecond', 'rps', 'throughput'),
    requests: readNumber(source, 'requests', 'count', 'samples', 'total'),
    activeStudents: readNumber(source, 'activeStudents', 'students', 'uniqueStudents'),
    costPerRequest: readNumber(source, 'costPerRequest', 'cost.perRequest', 'costPerRequestEur'),
    mvpCostPerRequest: readNumber(source, 'mvpCostPerRequest', 'baselineCostPerRequest', 'cost.mvpPerRequest', 'cost.baselinePerRequest'),
    mvpP95Ms: readNumber(source, 'mvpP95Ms', 'baselineP95Ms', 'mvp.p95Ms'),
  };
}

function readProvider(id: string, raw: unknown): ProviderView {
  const role = readString(raw, 'role', 'kind');
  const metrics = readObject(raw, 'metrics') ?? raw;
  return {
    id,
    role: role === 'production' || role === 'mvp' ? role : 'unknown',
    breaker: toBreaker(readString(raw, 'breaker', 'breaker.state', 'circuit', 'breakerState')),
    p50Ms: readNumber(metrics, 'p50Ms', 'p50', 'latency.p50Ms', 'latency.p50'),
    p95Ms: readNumber(metrics, 'p95Ms', 'p95', 'latency.p95Ms', 'latency.p95'),
    errorRate: toRatio(readNumber(metrics, 'errorRate', 'error_rate')),
    requests: readNumber(metrics, 'requests', 'count', 'samples'),
  };
}

/** `providers` may be a map keyed by id, a list, or `{production: {...}, mvp: {...}}`. */
function readProviders(raw: Json): ProviderView[] {
  const source = raw.providers;
  if (Array.isArray(source)) {
    return source.filter(isObject).map((p) => readProvider(readString(p, 'id', 'provider', 'name') ?? '?', p));
  }
  if (!isObject(source)) return [];
  return Object.entries(source).map(([key, value]) => {
    if (typeof value === 'string') return readProvider(value, { role: key });
    const id = readString(value, 'id', 'provider', 'name');
    if ((key === 'production' || key === 'mvp') && id) return readProvider(id, { role: key, ...(value as Json) });
    return readProvider(key, value);
  });
}

function readAlert(raw: unknown, index: number): AlertView {
  const severity = readString(raw, 'severity', 'level');
  const metric = readString(raw, 'metric', 'kind', 'type', 'name') ?? 'alert';
  const provider = readString(raw, 'provider');
  return {
    id: readString(raw, 'id') ?? `${metric}-${provider ?? ''}-${index}`,
    severity: severity === 'critical' || severity === 'warning' ? severity : 'info',
    metric,
    provider,
    message: readString(raw, 'message', 'reason', 'description') ?? metric,
    value: readNumber(raw, 'value', 'measured'),
    threshold: readNumber(raw, 'threshold', 'target'),
  };
}

export function normalizeComponent(raw: unknown): ComponentView {
  const obj = isObject(raw) ? raw : {};
  const step = obj.step;
  const stepObj = isObject(step) ? step : {};
  const healthObj = readObject(obj, 'health');
  return {
    component: readString(obj, 'component', 'id', 'name') ?? '?',
    status: toStatus(readString(obj, 'status', 'state.status')),
    weight: readNumber(obj, 'weight', 'state.weight') ?? 0,
    step: {
      index: typeof step === 'number' ? step : readNumber(stepObj, 'index', 'current', 'step'),
      total: readNumber(stepObj, 'total', 'count', 'of') ?? readNumber(obj, 'steps', 'plan.steps.length'),
      weight: readNumber(stepObj, 'weight'),
      label: readString(stepObj, 'label', 'name'),
    },
    health: healthObj ? readNumber(healthObj, 'score', 'value') : readNumber(obj, 'health'),
    metrics: readMetrics(readObject(obj, 'metrics') ?? {}),
    providers: readProviders(obj),
    alerts: readArray(obj, 'alerts').map(readAlert),
  };
}

export function normalizeComponents(raw: unknown): ComponentView[] {
  const list = Array.isArray(raw) ? raw : readArray(raw, 'components');
  return list.map(normalizeComponent);
}

function toVerdict(value: string | null): Verdict {
  const v = value?.toUpperCase();
  return v === 'PASS' || v === 'FAIL' ? v : 'INCONCLUSIVE';
}

function readCriterion(raw: unknown): CriterionView {
  const target = isObject(raw) ? raw.target : undefined;
  const targetText = isObject(target)
    ? `${readString(target, 'op', 'operator') ?? ''} ${readString(target, 'value', 'threshold') ?? ''}`.trim()
    : (readString(raw, 'target', 'threshold') ?? '—');
  return {
    name: readString(raw, 'name', 'criterion', 'id', 'metric') ?? '?',
    target: targetText,
    measured: readNumber(raw, 'measured', 'value'),
    unit: readString(raw, 'unit'),
    samples: readNumber(raw, 'samples', 'sampleSize', 'count'),
    verdict: toVerdict(readString(raw, 'verdict', 'result')),
  };
}

export function normalizeCriteria(raw: unknown): CriteriaView {
  const criteria = readArray(raw, 'criteria').map(readCriterion);
  const decision = readString(raw, 'decision', 'verdict', 'goNoGo');
  const goFlag = isObject(raw) && typeof raw.go === 'boolean' ? raw.go : null;
  const go = goFlag ?? (decision !== null ? decision.toUpperCase().replace(/[-_ ]/g, '') === 'GO' : criteria.length > 0 && criteria.every((c) => c.verdict === 'PASS'));
  return { criteria, go };
}

function readAuditEvent(raw: unknown, index: number): AuditEventView {
  const at = readString(raw, 'at', 'time', 'timestamp', 'ts') ?? '';
  return {
    id: readString(raw, 'id', 'seq') ?? `${at}-${index}`,
    at: /^\d+$/.test(at) ? new Date(Number(at)).toISOString() : at,
    component: readString(raw, 'component'),
    actor: readString(raw, 'actor', 'who', 'by') ?? '?',
    action: readString(raw, 'action', 'type', 'kind') ?? '?',
    reason: readString(raw, 'reason', 'why') ?? '',
    from: readString(raw, 'from', 'from.weight'),
    to: readString(raw, 'to', 'to.weight'),
  };
}

export function normalizeEvents(raw: unknown): AuditEventView[] {
  const list = Array.isArray(raw) ? raw : readArray(raw, 'events', 'items');
  return list.map(readAuditEvent);
}

function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

export function normalizeHistory(raw: unknown): HistoryPoint[] {
  const list = Array.isArray(raw) ? raw : readArray(raw, 'points', 'rollups', 'series', 'history');
  const points: HistoryPoint[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const t = toEpochMs(item.t ?? item.minute ?? item.at ?? item.time ?? item.ts ?? item.start);
    if (t === null) continue;
    const requests = readNumber(item, 'requests', 'count') ?? 0;
    const errors = readNumber(item, 'errors');
    points.push({
      t,
      provider: readString(item, 'provider') ?? '?',
      p50Ms: readNumber(item, 'p50Ms', 'p50', 'latency.p50Ms'),
      p95Ms: readNumber(item, 'p95Ms', 'p95', 'latency.p95Ms'),
      errorRate: toRatio(readNumber(item, 'errorRate')) ?? (errors !== null && requests > 0 ? errors / requests : null),
      requests,
      cost: readNumber(item, 'cost', 'costEur', 'costTotal'),
    });
  }
  return points.sort((a, b) => a.t - b.t);
}
