// Admin API payloads → view models (see types.ts). Pure functions, tested in normalize.test.ts.
import { isRollup, rollupsToPoints } from './rollups.ts';
import { readCostPlan, type MonthCostsView } from './costs.ts';
import { isObject, readArray, readNumber, readObject, readString, type Json } from './read.ts';
import type {
  AlertView,
  AuditEventView,
  BlockerView,
  CapacityView,
  PlanView,
  BreakerState,
  ComponentView,
  CriteriaView,
  CriterionUnit,
  CriterionView,
  GoVerdict,
  HistoryPoint,
  MetricsView,
  ProviderView,
  RolloutStateView,
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

/** The component's window metrics; the MVP provider's own metrics give the all-MVP baseline. */
function readMetrics(source: unknown, mvp: unknown): MetricsView {
  const requests = readNumber(source, 'requests', 'count', 'samples', 'total');
  const windowMs = readNumber(source, 'windowMs');
  return {
    p50Ms: readNumber(source, 'p50Ms', 'p50', 'latency.p50Ms', 'latency.p50', 'latencyP50Ms'),
    p95Ms: readNumber(source, 'p95Ms', 'p95', 'latency.p95Ms', 'latency.p95', 'latencyP95Ms'),
    errorRate: toRatio(readNumber(source, 'errorRate', 'error_rate', 'errors.rate')),
    requestsPerSecond: readNumber(source, 'requestsPerSecond', 'rps') ?? (requests !== null && windowMs ? (requests * 1000) / windowMs : null),
    requests,
    activeStudents: readNumber(source, 'activeStudents', 'students', 'uniqueStudents'),
    costPerRequest: readNumber(source, 'costPerRequestEur', 'costPerRequest'),
    mvpCostPerRequest: readNumber(source, 'mvpCostPerRequestEur', 'mvpCostPerRequest') ?? readNumber(mvp, 'costPerRequestEur', 'costPerRequest'),
    mvpP95Ms: readNumber(source, 'mvpP95Ms') ?? readNumber(mvp, 'p95Ms'),
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
    costPerRequest: readNumber(metrics, 'costPerRequestEur', 'costPerRequest'),
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
    since: readString(raw, 'since'),
    metric,
    provider,
    message: readString(raw, 'message', 'reason', 'description') ?? metric,
    value: readNumber(raw, 'value', 'measured'),
    threshold: readNumber(raw, 'threshold', 'target'),
  };
}

/** `step` is an index into `plan.steps` (contract), or an object `{index, total, weight}`. */
function readStep(obj: Json): ComponentView['step'] {
  const step = obj.step;
  const steps = readArray(obj, 'plan.steps');
  const index = typeof step === 'number' ? step : readNumber(step, 'index', 'current');
  const weightAt = (i: number | null): number | null => (i === null ? null : readNumber(steps[i], 'weight'));
  return {
    index,
    total: steps.length > 0 ? steps.length : readNumber(step, 'total', 'count'),
    weight: weightAt(index) ?? readNumber(step, 'weight'),
    nextWeight: weightAt(index === null ? null : index + 1),
    label: readString(step, 'label', 'name'),
    planWeights: steps.map((s) => readNumber(s, 'weight')).filter((w): w is number => w !== null),
  };
}

/** The contract carries `activeStudents` on the summary itself; older payloads had it in the metrics. */
function withStudents(metrics: MetricsView, activeStudents: number | null): MetricsView {
  return activeStudents === null ? metrics : { ...metrics, activeStudents };
}

function toGoVerdict(value: string | null): GoVerdict | null {
  const v = value?.toUpperCase();
  return v === 'GO' || v === 'NO-GO' || v === 'HOLD' ? v : null;
}

function readBlockers(raw: unknown): BlockerView[] {
  return (Array.isArray(raw) ? raw : []).map((b) => {
    const code = readString(b, 'code');
    return { code: code === 'verdict' || code === 'critical_alert' || code === 'min_time' ? code : 'other', message: readString(b, 'message') ?? '' };
  });
}

function readPlan(obj: Json): PlanView {
  const stepTime = readObject(obj, 'stepTime');
  const analysis = readObject(obj, 'analysis');
  const gates = readObject(obj, 'gates');
  const held = readNumber(stepTime, 'heldMs');
  const min = readNumber(stepTime, 'minMs');
  return {
    evaluatedAt: readString(obj, 'evaluatedAt'),
    steps: readArray(obj, 'plan.steps').map((s) => ({ weight: readNumber(s, 'weight') ?? 0, minDurationMs: readNumber(s, 'minDurationMs') ?? 0 })),
    stepStartedAt: readString(obj, 'stepStartedAt'),
    stepTime: held === null || min === null ? null : { heldMs: held, minMs: min, leftMs: readNumber(stepTime, 'leftMs') ?? Math.max(0, min - held) },
    analysis: analysis
      ? {
          failingEvaluations: readNumber(analysis, 'failingEvaluations') ?? 0,
          rollbackAfter: readNumber(analysis, 'rollbackAfter') ?? 0,
          startedAt: readString(analysis, 'startedAt'),
          lastDecision: readString(analysis, 'lastDecision') ?? '',
        }
      : null,
    verdict: toGoVerdict(readString(obj, 'verdict')),
    criteria: readArray(obj, 'criteria').map(readCriterion),
    gates: gates ? { promote: readBlockers(gates.promote), raise: readBlockers(gates.raise) } : null,
  };
}

/** A warning on the paid (current) provider is information: the migration can do nothing about it. */
function classify(alerts: AlertView[], providers: ProviderView[]): AlertView[] {
  const mvp = providers.find((p) => p.role === 'mvp')?.id;
  return alerts.map((a) => (a.severity === 'warning' && mvp !== undefined && a.provider === mvp ? { ...a, severity: 'info' } : a));
}

export function normalizeComponent(raw: unknown): ComponentView {
  const obj = isObject(raw) ? raw : {};
  const healthObj = readObject(obj, 'health');
  const providers = readProviders(obj);
  return {
    plan: readPlan(obj),
    component: readString(obj, 'component', 'id', 'name') ?? '?',
    status: toStatus(readString(obj, 'status', 'state.status')),
    weight: readNumber(obj, 'weight', 'state.weight') ?? 0,
    step: readStep(obj),
    health: healthObj ? readNumber(healthObj, 'score', 'value') : readNumber(obj, 'health'),
    metrics: withStudents(readMetrics(readObject(obj, 'metrics') ?? {}, readObject(obj, 'providers.mvp.metrics')), readNumber(obj, 'activeStudents')),
    providers,
    alerts: classify(readArray(obj, 'alerts').map(readAlert), providers),
    capacity: readCapacity(obj),
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

function toUnit(value: string | null): CriterionUnit {
  return value === 'ms' || value === 'ratio' || value === 'eur' || value === 'score' ? value : 'other';
}

function readCriterion(raw: unknown): CriterionView {
  return {
    id: readString(raw, 'id', 'name') ?? '?',
    label: readString(raw, 'label', 'name', 'id') ?? '?',
    comparator: readString(raw, 'comparator') ?? '',
    target: readNumber(raw, 'target'),
    unit: toUnit(readString(raw, 'unit')),
    measured: readNumber(raw, 'measured'),
    samples: readNumber(raw, 'samples'),
    minSamples: readNumber(raw, 'minSamples'),
    verdict: toVerdict(readString(raw, 'verdict')),
    detail: readString(raw, 'detail'),
  };
}

/** The summary's `capacity` (self-hosted production providers only); null when absent or unreadable. */
function readCapacity(obj: Json): CapacityView | null {
  const raw = readObject(obj, 'capacity');
  const provider = readString(raw, 'provider');
  if (!raw || provider === null) return null;
  return {
    provider,
    serviceMs: readNumber(raw, 'serviceMs'),
    samples: readNumber(raw, 'samples') ?? 0,
    hosts: readNumber(raw, 'hosts') ?? 1,
    slotsPerHost: readNumber(raw, 'slotsPerHost') ?? 1,
    utilisationNow: readNumber(raw, 'utilisationNow'),
    nextWeight: readNumber(raw, 'nextWeight'),
    atNextStep: readNumber(raw, 'atNextStep'),
    atFull: readNumber(raw, 'atFull'),
    threshold: readNumber(raw, 'threshold') ?? 0.8,
    studentsPerHost: readNumber(raw, 'studentsPerHost'),
  };
}

/** The gateway's verdict when given; otherwise derived the same way (GO / NO-GO / HOLD). */
export function normalizeCriteria(raw: unknown): CriteriaView {
  const criteria = readArray(raw, 'criteria').map(readCriterion);
  const given = readString(raw, 'verdict')?.toUpperCase();
  const derived: GoVerdict = criteria.some((c) => c.verdict === 'FAIL') ? 'NO-GO' : criteria.length > 0 && criteria.every((c) => c.verdict === 'PASS') ? 'GO' : 'HOLD';
  const verdict: GoVerdict = given === 'GO' || given === 'NO-GO' || given === 'HOLD' ? given : derived;
  const history = readArray(raw, 'history').flatMap((p) => {
    const at = readString(p, 'at');
    const v = toGoVerdict(readString(p, 'verdict'));
    if (at === null || v === null) return [];
    return [{ at, verdict: v, criteria: readArray(p, 'criteria').map((c) => ({ id: readString(c, 'id') ?? '?', measured: readNumber(c, 'measured'), verdict: toVerdict(readString(c, 'verdict')) })) }];
  });
  return { criteria, verdict, provider: readString(raw, 'provider'), evaluatedAt: readString(raw, 'evaluatedAt'), history };
}

function readRolloutState(raw: unknown): RolloutStateView | null {
  if (!isObject(raw)) return null;
  return { status: readString(raw, 'status') ?? '?', weight: readNumber(raw, 'weight') };
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
    from: readRolloutState(isObject(raw) ? raw.from : null),
    to: readRolloutState(isObject(raw) ? raw.to : null),
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

/**
 * History for the charts: stored rollups (merged into `bucketMs` buckets with their histograms) or
 * precomputed points `{t, provider, requests, errors|errorRate, p50Ms, p95Ms, cost}`.
 */
export function normalizeHistory(raw: unknown, bucketMs = 60_000): HistoryPoint[] {
  const list = Array.isArray(raw) ? raw : readArray(raw, 'rollups', 'points', 'series', 'history');
  if (list.some(isRollup)) return rollupsToPoints(list, bucketMs);
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

/** `GET /admin/v1/costs` → the page's view; null when the answer is not a month of costs. */
export function normalizeCosts(raw: unknown): MonthCostsView | null {
  const month = readString(raw, 'month');
  const monthStart = toEpochMs(isObject(raw) ? raw.monthStart : null);
  const at = toEpochMs(isObject(raw) ? raw.at : null);
  if (month === null || monthStart === null || at === null) return null;
  const byComponent: MonthCostsView['byComponent'] = {};
  for (const line of readArray(raw, 'components')) {
    const component = readString(line, 'component');
    if (component) byComponent[component] = { costEur: readNumber(line, 'costEur') ?? 0, requests: readNumber(line, 'requests') ?? 0 };
  }
  const costPlan = readCostPlan(isObject(raw) ? raw.plan : null);
  const plan = costPlan ? { plan: costPlan } : {};
  return { month, monthStart, at, since: toEpochMs(isObject(raw) ? raw.since : null), costEur: readNumber(raw, 'costEur') ?? 0, requests: readNumber(raw, 'requests') ?? 0, byComponent, ...plan };
}
