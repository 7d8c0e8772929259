// The dashboard's own view of the admin API payloads. `normalize.ts` turns the wire JSON into these,
// so a renamed or missing field shows as "—" on a card instead of breaking the page.

export const COMPONENTS = ['llm', 'stt', 'tts', 'vision'] as const;
export type ComponentId = (typeof COMPONENTS)[number];
export type Status = 'mvp' | 'migrating' | 'production' | 'rollback';
export type BreakerState = 'closed' | 'open' | 'half-open' | 'unknown';
export type Verdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE';
export type Role = 'production' | 'mvp';

export interface ProviderView {
  id: string;
  role: Role | 'unknown';
  breaker: BreakerState;
  p50Ms: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  requests: number | null;
  costPerRequest: number | null;
}

export interface AlertView {
  id: string;
  /** `info`: a warning on the paid (current) provider, which the migration cannot act on. */
  severity: 'critical' | 'warning' | 'info';
  /** When it first held (ISO), for the charts' fault markers. */
  since: string | null;
  metric: string;
  provider: string | null;
  message: string;
  value: number | null;
  threshold: number | null;
}

export interface MetricsView {
  p50Ms: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  requestsPerSecond: number | null;
  requests: number | null;
  activeStudents: number | null;
  /** Measured cost per request (€), all routes together. */
  costPerRequest: number | null;
  /** What the same traffic would have cost on the MVP provider alone (€ per request). */
  mvpCostPerRequest: number | null;
  /** Latency of the MVP provider, to compute the gain. */
  mvpP95Ms: number | null;
}

export interface ComponentView {
  component: string;
  status: Status | 'unknown';
  weight: number;
  /**
   * Position in the deployed plan: index is 0-based, -1 before the first step. A weight set by hand keeps
   * the index (the engine's rule), so `planWeights` lets the page say how the weight sits in the plan.
   */
  step: { index: number | null; total: number | null; weight: number | null; nextWeight: number | null; label: string | null; planWeights: number[] };
  health: number | null;
  metrics: MetricsView;
  providers: ProviderView[];
  alerts: AlertView[];
  /** The plan, the analysis and the gates: all from the one snapshot the gateway took at `evaluatedAt`. */
  plan: PlanView;
  /** The self-hosted production provider's capacity; null for a paid API (or an older gateway). */
  capacity: CapacityView | null;
}

/** How busy the self-hosted hosts are and will be (fractions, over 1 when overloaded); docs/capacity.md. */
export interface CapacityView {
  provider: string;
  serviceMs: number | null;
  samples: number;
  hosts: number;
  slotsPerHost: number;
  utilisationNow: number | null;
  nextWeight: number | null;
  atNextStep: number | null;
  atFull: number | null;
  threshold: number;
  studentsPerHost: number | null;
}

export type BlockerCode = 'verdict' | 'critical_alert' | 'min_time' | 'other';
export interface BlockerView {
  code: BlockerCode;
  message: string;
}

export interface PlanView {
  evaluatedAt: string | null;
  steps: { weight: number; minDurationMs: number }[];
  stepStartedAt: string | null;
  stepTime: { heldMs: number; minMs: number; leftMs: number } | null;
  analysis: { failingEvaluations: number; rollbackAfter: number; startedAt: string | null; lastDecision: string } | null;
  verdict: GoVerdict | null;
  criteria: CriterionView[];
  /** What blocks a promotion / a raise of the weight now; null when the gateway does not say. */
  gates: { promote: BlockerView[]; raise: BlockerView[] } | null;
}

export type CriterionUnit = 'ms' | 'ratio' | 'eur' | 'score' | 'other';
export type GoVerdict = 'GO' | 'NO-GO' | 'HOLD';

export interface CriterionView {
  id: string;
  label: string;
  comparator: string;
  target: number | null;
  unit: CriterionUnit;
  measured: number | null;
  samples: number | null;
  minSamples: number | null;
  verdict: Verdict;
  /** What the figure means, when the gateway says (the capacity forecast's terms). */
  detail: string | null;
}

export interface CriteriaHistoryPointView {
  at: string;
  verdict: GoVerdict;
  criteria: { id: string; measured: number | null; verdict: Verdict }[];
}

export interface CriteriaView {
  /** Earlier evaluations, oldest first (kept in the gateway's memory). */
  history: CriteriaHistoryPointView[];
  criteria: CriterionView[];
  /** GO: every criterion passes; NO-GO: one fails; HOLD: none fails, one is inconclusive. */
  verdict: GoVerdict;
  provider: string | null;
  evaluatedAt: string | null;
}

export interface RolloutStateView {
  status: string;
  weight: number | null;
}

export interface AuditEventView {
  id: string;
  at: string;
  component: string | null;
  actor: string;
  action: string;
  reason: string;
  from: RolloutStateView | null;
  to: RolloutStateView | null;
}

export interface HistoryPoint {
  /** Start of the rollup bucket, ms since epoch. */
  t: number;
  provider: string;
  p50Ms: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  requests: number;
  cost: number | null;
}
