// Bodies of the gateway's admin API (`/admin/v1/...`, admin token): what the dashboard and the CLI read
// and send. Ratios are fractions 0..1 everywhere (error rate, availability, quality scores); latencies
// are milliseconds; money is euros; times are ISO 8601 strings in UTC.
import { z } from 'zod';
import { ComponentSchema, MigrationStatusSchema, ProviderIdSchema, RouteSchema } from './vocabulary.ts';
import { CostPlanSchema } from './cost-plan.ts';
import { ShadowConfigSchema } from './config.ts';

const ratio = () => z.number().min(0).max(1);
const percent = () => z.number().min(0).max(100);
const count = () => z.number().int().min(0);
const isoTime = () => z.iso.datetime({ offset: true });
/** A latency that has no value until at least one request was measured. */
const latencyMs = () => z.number().min(0).nullable();

export const BreakerStateSchema = z.enum(['closed', 'open', 'half-open']);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

/** Sliding-window measurements (the analysis window, e.g. the last 5 minutes). */
export const WindowMetricsSchema = z.object({
  windowMs: z.number().int().min(1),
  requests: count(),
  errors: count(),
  errorRate: ratio(),
  availability: ratio(),
  avgMs: latencyMs(),
  p50Ms: latencyMs(),
  p95Ms: latencyMs(),
  p99Ms: latencyMs(),
  /** Average cost of one request in euros (external price, or the VPS's share). */
  costPerRequestEur: z.number().min(0).nullable(),
});
export type WindowMetrics = z.infer<typeof WindowMetricsSchema>;

/** A component's window, with the reference its cost criterion compares against. */
export const ComponentMetricsSchema = WindowMetricsSchema.extend({
  /**
   * The MVP provider's cost per request in euros: measured over the current step when the MVP served enough
   * requests, else priced by the config's cost model for a typical request; null when neither can say.
   * The gateway always sends it; optional so that a payload of an older gateway still reads.
   */
  mvpCostPerRequestEur: z.number().min(0).nullable().optional(),
});
export type ComponentMetrics = z.infer<typeof ComponentMetricsSchema>;

/** One host of a provider with several (`baseUrls`): its own breaker, its calls in flight, its recent error rate. */
export const HostHealthSchema = z.object({
  /** `host:port`, never credentials. */
  host: z.string().min(1),
  state: BreakerStateSchema,
  outstanding: z.number().int().min(0),
  /** Transient failures / calls over the host breaker's window (0..1). */
  errorRate: z.number().min(0).max(1),
});
export type HostHealth = z.infer<typeof HostHealthSchema>;

export const ProviderSummarySchema = z.object({
  id: ProviderIdSchema,
  breaker: BreakerStateSchema,
  metrics: WindowMetricsSchema,
  /** The provider's hosts, when the gateway calls it over HTTP (absent for web-speech, and from older gateways). */
  hosts: z.array(HostHealthSchema).optional(),
});
export type ProviderSummary = z.infer<typeof ProviderSummarySchema>;

export const AlertSeveritySchema = z.enum(['warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const AlertSchema = z.object({
  /** Stable per condition, e.g. `stt:faster-whisper:error_rate`, so a UI can de-duplicate. */
  id: z.string().min(1),
  severity: AlertSeveritySchema,
  /** What is measured: `p95_latency`, `error_rate`, `health`, `breaker_open`... */
  metric: z.string().min(1),
  message: z.string().min(1),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  provider: ProviderIdSchema.optional(),
  since: isoTime(),
  /** Consecutive evaluations the condition has held (rollback after the plan's `rollbackAfterEvaluations`). */
  evaluations: z.number().int().min(1),
});
export type Alert = z.infer<typeof AlertSchema>;

export const CriterionVerdictSchema = z.enum(['PASS', 'FAIL', 'INCONCLUSIVE']);
export type CriterionVerdict = z.infer<typeof CriterionVerdictSchema>;

export const CriterionSchema = z.object({
  /** e.g. `p95_latency`, `availability`, `quality`, `avg_latency`, `accuracy`, `cost_ratio`. */
  id: z.string().min(1),
  label: z.string().min(1),
  /** PASS when `measured <comparator> target`. */
  comparator: z.enum(['<', '<=', '>', '>=']),
  target: z.number(),
  /** `score`: out of 10 (user satisfaction). */
  unit: z.enum(['ms', 'ratio', 'eur', 'score']),
  measured: z.number().nullable(),
  samples: count(),
  /** Below this many samples the verdict is INCONCLUSIVE. */
  minSamples: count(),
  verdict: CriterionVerdictSchema,
  /** What the figure means when a number alone does not say it (the capacity criterion's forecast). */
  detail: z.string().optional(),
});
export type Criterion = z.infer<typeof CriterionSchema>;

/**
 * The production provider's capacity (self-hosted providers only; docs/capacity.md): its measured service
 * time, how busy its hosts are now, the forecast at the next step's weight and at 100 %, and how many
 * students one host can serve under the threshold. Utilisations are fractions and may exceed 1 (overload).
 */
export const CapacitySummarySchema = z.object({
  provider: ProviderIdSchema,
  /** Mean model compute time per request (ms) over the hosts' recent samples; null before the first. */
  serviceMs: z.number().min(0).nullable(),
  samples: count(),
  hosts: z.number().int().min(1),
  slotsPerHost: z.number().int().min(1),
  /** Requests a second of the whole component the forecast scales (its busiest minute in the step). */
  componentRatePerSec: z.number().min(0),
  /** Share of the component's requests the provider carries now. */
  share: ratio().nullable(),
  utilisationNow: z.number().min(0).nullable(),
  nextWeight: percent().nullable(),
  atNextStep: z.number().min(0).nullable(),
  atFull: z.number().min(0).nullable(),
  threshold: ratio(),
  requestsPerStudentPerSec: z.number().min(0).nullable(),
  studentsPerHost: count().nullable(),
  /** Per host: its own measured service time (a host on a slower card shows here). */
  perHost: z.array(z.object({ host: z.string().min(1), serviceMs: z.number().min(0).nullable(), samples: count() })),
});
export type CapacitySummary = z.infer<typeof CapacitySummarySchema>;

/** GO: every criterion passes. NO-GO: one fails. HOLD: none fails but one is inconclusive. */
export const GoVerdictSchema = z.enum(['GO', 'NO-GO', 'HOLD']);
export type GoVerdict = z.infer<typeof GoVerdictSchema>;

/** What blocks a gated action now (see ErrorDetail's `blockers`). */
export const GateBlockerSchema = z.object({ code: z.enum(['verdict', 'critical_alert', 'min_time']), message: z.string().min(1) });
export type GateBlocker = z.infer<typeof GateBlockerSchema>;

/** The analysis behind a summary: when it began (a resume or a weight set by hand starts a fresh one), and how close the rollback is. */
export const AnalysisSummarySchema = z.object({
  startedAt: isoTime().nullable(),
  /** Consecutive evaluations with a critical alert on the candidate, in this analysis. */
  failingEvaluations: count(),
  /** How many consecutive failing evaluations roll the migration back (the plan's `rollbackAfterEvaluations`). */
  rollbackAfter: z.number().int().min(1),
  /** The last decision of the loop, in words (e.g. `critical (1/3): ...`, `GO; automatic promotion is off`). */
  lastDecision: z.string(),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummarySchema>;

export const ComponentSummarySchema = z.object({
  component: ComponentSchema,
  status: MigrationStatusSchema,
  /** Share of students in the production cohort, percent (0.01 resolution). */
  weight: percent(),
  /** Index into the plan's steps (0-based); -1 before the first step. */
  step: z.number().int().min(-1),
  /** The plan as deployed: its version and step weights, for progress bars. */
  plan: z.object({
    version: z.union([z.number().int().min(1), z.string().min(1)]),
    steps: z.array(z.object({ weight: percent(), minDurationMs: z.number().int().min(0) })),
    autoPromote: z.boolean(),
  }),
  /** When the current step began: the minimum duration is counted from here. */
  stepStartedAt: isoTime().nullable(),
  providers: z.object({ production: ProviderSummarySchema, mvp: ProviderSummarySchema }),
  /** Health score 0..100 of the production provider; null without data. */
  health: z.number().min(0).max(100).nullable(),
  /** All the component's requests, whatever route served them. */
  metrics: ComponentMetricsSchema,
  alerts: z.array(AlertSchema),
  /**
   * Distinct students (by keyed hash) who used the component in the last 5 minutes. Counted in memory
   * with a bound per component: past it the count saturates at the bound; a restart starts from 0.
   */
  activeStudents: count(),
  // The fields below come from the same evaluation as `alerts`, `providers`, `health` and `metrics` (one
  // snapshot, taken at `evaluatedAt`), so every figure of a page agrees. Optional: an older gateway omits them.
  /** When the snapshot was taken (the analysis loop's last evaluation, or the action just done). */
  evaluatedAt: isoTime().optional(),
  analysis: AnalysisSummarySchema.optional(),
  /** Time held in the current step, its minimum and what is left; null before the first step. */
  stepTime: z.object({ heldMs: count(), minMs: count(), leftMs: count() }).nullable().optional(),
  /** The GO/NO-GO verdict and criteria of the current step, as judged at `evaluatedAt`. */
  verdict: GoVerdictSchema.optional(),
  criteria: z.array(CriterionSchema).optional(),
  /** What would block a promotion, and a raise of the weight, now (empty: allowed without an override). */
  gates: z.object({ promote: z.array(GateBlockerSchema), raise: z.array(GateBlockerSchema) }).optional(),
  /** The production provider's capacity, when it is self-hosted (absent otherwise, and from older gateways). */
  capacity: CapacitySummarySchema.optional(),
});
export type ComponentSummary = z.infer<typeof ComponentSummarySchema>;

/** `GET /admin/v1/components`. `GET /admin/v1/components/{component}` answers one ComponentSummary. */
export const ComponentsResponseSchema = z.object({ components: z.array(ComponentSummarySchema) });
export type ComponentsResponse = z.infer<typeof ComponentsResponseSchema>;

// ---------------------------------------------------------------- `GET /admin/v1/components/{component}/history`

export const HISTORY_RANGES = ['1h', '48h', '7d'] as const;
export const HistoryRangeSchema = z.enum(HISTORY_RANGES);
export type HistoryRange = z.infer<typeof HistoryRangeSchema>;
export const HISTORY_RANGE_MS: Readonly<Record<HistoryRange, number>> = { '1h': 3_600_000, '48h': 172_800_000, '7d': 604_800_000 };
/**
 * Width of the buckets the gateway answers per range: the minute for 1 h (60 points), 10 minutes for 48 h
 * (288), an hour for 7 days (168): enough points for a chart. One rollup per bucket, provider and route,
 * each with its histogram: for a busy component about 70 KiB for an hour, 200–400 KiB for 48 h or 7 days
 * (uncompressed JSON; mostly zeros, which compress well).
 */
export const HISTORY_BUCKET_MS: Readonly<Record<HistoryRange, number>> = { '1h': 60_000, '48h': 600_000, '7d': 3_600_000 };

/** A latency histogram of the engine's fixed log-spaced buckets (libs/routing HISTOGRAM_UPPER_BOUNDS). */
export const HistogramDataSchema = z.object({
  counts: z.array(count()),
  min: z.number().min(0).nullable(),
  max: z.number().min(0).nullable(),
});

/** The engine's MinuteRollup: all requests of one bucket for one (component, provider, route). */
export const RollupSchema = z.object({
  /** Start of the bucket (a minute, or `bucketMs` wide), ms since epoch. */
  minute: z.number().int().min(0),
  component: ComponentSchema,
  provider: ProviderIdSchema,
  route: RouteSchema,
  count: count(),
  errors: count(),
  latencySumMs: z.number().min(0),
  costEur: z.number().min(0),
  histogram: HistogramDataSchema,
});
export type Rollup = z.infer<typeof RollupSchema>;

/** `GET /admin/v1/components/{component}/history?range=1h|48h|7d` (1h when omitted); oldest first. */
export const HistoryResponseSchema = z.object({
  component: ComponentSchema,
  range: HistoryRangeSchema,
  /** Width of each rollup's bucket: HISTORY_BUCKET_MS of the range. */
  bucketMs: z.number().int().min(60_000),
  /** First bucket's start and the gateway's clock when it answered. */
  from: isoTime(),
  to: isoTime(),
  rollups: z.array(RollupSchema),
});
export type HistoryResponse = z.infer<typeof HistoryResponseSchema>;

// ---------------------------------------------------------------- `GET /admin/v1/costs`

const costLine = () => ({ requests: count(), costEur: z.number().min(0) });

/**
 * `GET /admin/v1/costs?month=YYYY-MM` (the current UTC month when omitted): what the gateway recorded,
 * per component and provider. Kept per month, after the minute rollups are pruned.
 */
export const CostsResponseSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  monthStart: isoTime(),
  /** The gateway's clock when it answered. */
  at: isoTime(),
  /** The first minute with a request in the month (a projection scales from here); null without any. */
  since: isoTime().nullable(),
  ...costLine(),
  components: z.array(
    z.object({
      component: ComponentSchema,
      ...costLine(),
      providers: z.array(z.object({ provider: ProviderIdSchema, ...costLine() })),
    }),
  ),
  /** The plan's month priced by this gateway's config (baseline, production, one-time cost, return, scale). */
  plan: CostPlanSchema.optional(),
});
export type CostsResponse = z.infer<typeof CostsResponseSchema>;

/** `POST /admin/v1/notifications/test`: how each configured channel took a test message. */
export const NotificationTestResponseSchema = z.object({
  channels: z.array(z.object({ channel: z.string(), type: z.enum(['slack', 'discord', 'teams', 'webhook', 'email']), ok: z.boolean(), error: z.string().optional() })),
});
export type NotificationTestResponse = z.infer<typeof NotificationTestResponseSchema>;

const reason = () =>
  z
    .string({ error: 'expected a reason (non-empty text)' })
    .trim()
    .min(1, 'expected a reason (non-empty text)')
    .max(500, 'expected a reason of at most 500 characters');

/**
 * Going ahead although the gates block the action (see the `blocked` error): its own reason, recorded in the
 * audit event with what it overrode.
 */
export const OverrideSchema = z.object({
  reason: z
    .string({ error: 'expected why the gates are overridden (text)' })
    .trim()
    .min(3, 'expected why the gates are overridden, in at least 3 characters')
    .max(500, 'expected a reason of at most 500 characters'),
});
export type Override = z.infer<typeof OverrideSchema>;

/**
 * `PUT /admin/v1/components/{component}/weight`. Answers the updated ComponentSummary. Raising the weight is
 * gated (409 `blocked` unless GO, no critical alert and the step's minimum time), or needs `override`.
 */
export const WeightRequestSchema = z.object({
  weight: z
    .number({ error: 'expected a number between 0 and 100' })
    .min(0, 'expected a number between 0 and 100')
    .max(100, 'expected a number between 0 and 100')
    .multipleOf(0.01, 'expected at most two decimals (0.01 % resolution)'),
  reason: reason(),
  override: OverrideSchema.optional(),
});
export type WeightRequest = z.infer<typeof WeightRequestSchema>;

/**
 * `POST /admin/v1/components/{component}/promote|rollback|resume`. Answers the updated ComponentSummary.
 * Promote is gated like a raise of the weight; rollback and resume are not (resume restarts at the first step
 * with a fresh analysis).
 */
export const ActionRequestSchema = z.object({ reason: reason(), override: OverrideSchema.optional() });
export type ActionRequest = z.infer<typeof ActionRequestSchema>;

export const ADMIN_ACTIONS = ['promote', 'rollback', 'resume'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** `GET /admin/v1/components/{component}/criteria`. */
export const CriteriaResponseSchema = z.object({
  component: ComponentSchema,
  provider: ProviderIdSchema, // the production provider being judged
  step: z.number().int().min(-1),
  criteria: z.array(CriterionSchema),
  verdict: GoVerdictSchema,
  evaluatedAt: isoTime(),
  /**
   * Earlier evaluations, oldest first: one point a minute, and one whenever a verdict changes. Kept in the
   * gateway's memory (bounded: 48 h), so a restart starts it again.
   */
  history: z.array(z.object({ at: isoTime(), verdict: GoVerdictSchema, criteria: z.array(z.object({ id: z.string().min(1), measured: z.number().nullable(), verdict: CriterionVerdictSchema })) })).optional(),
});
export type CriteriaResponse = z.infer<typeof CriteriaResponseSchema>;

/**
 * `POST /admin/v1/components/{component}/quality`: a benchmark's result for one provider.
 * `score` is a FRACTION 0..1 (0.96, not 96), like every ratio in this API; the quality criterion's
 * target (0.95 by default) is compared with the sample-weighted mean of the recent results.
 */
export const QualityResultRequestSchema = z.object({
  benchmark: z.string().trim().min(1, 'expected the benchmark name').max(200),
  score: z.number({ error: 'expected a fraction between 0 and 1' }).min(0, 'expected a fraction between 0 and 1').max(1, 'expected a fraction between 0 and 1 (0.96, not 96)'),
  samples: z.number().int('expected a whole number of samples').min(1, 'expected at least one sample'),
  provider: ProviderIdSchema,
  /** When the benchmark ran; the gateway's clock when omitted. */
  at: isoTime().optional(),
  /** What the person noted (a listening test's remarks: a voice too slow, a word mispronounced); kept with the result. */
  note: z.string().trim().max(500, 'expected at most 500 characters').optional(),
});
export type QualityResultRequest = z.infer<typeof QualityResultRequestSchema>;

/** The benchmark name of a listening test recorded from the dashboard (`tts`: a person's score of the voice). */
export const LISTENING_TEST_BENCHMARK = 'listening-test';
/** Benchmark names of the gateway's own shadow comparison rows (`shadow:agreement`, `shadow:wer`, …). */
export const SHADOW_BENCHMARK_PREFIX = 'shadow:';

/** The stored result, as answered (201) by the quality endpoint. */
export const QualityResultSchema = QualityResultRequestSchema.extend({
  id: z.string().min(1),
  component: ComponentSchema,
  at: isoTime(),
});
export type QualityResult = z.infer<typeof QualityResultSchema>;

/** The widest span `GET …/quality` answers (the 8-day retention of the rollups, and then some). */
export const QUALITY_HISTORY_MAX_SPAN_MS = 31 * 86_400_000;
/** The most results `GET …/quality` answers: the newest, when there are more (`truncated`). */
export const QUALITY_HISTORY_LIMIT = 5_000;

/**
 * `GET /admin/v1/components/{component}/quality?from=&to=` (ISO times; the last 48 h when omitted, at most 31
 * days): the quality results over time, per provider, oldest first: benchmark results, listening tests and the
 * shadow comparison's per-minute rows (`benchmark` starting with `shadow:`, one per replica and minute).
 * Optional: `benchmark` (only that one), `shadow=true|false` (only the shadow rows, or none of them),
 * `bucketMs` (60 000 to 86 400 000: each provider's results of one benchmark merged per bucket, the score
 * weighted by samples, `at` the bucket's start).
 */
export const QualityHistoryResponseSchema = z.object({
  component: ComponentSchema,
  from: isoTime(),
  to: isoTime(),
  /** More results than QUALITY_HISTORY_LIMIT in the range: the oldest were left out. */
  truncated: z.boolean(),
  /** The buckets' width when asked (`bucketMs`). */
  bucketMs: z.number().int().min(60_000).optional(),
  providers: z.array(
    z.object({
      provider: ProviderIdSchema,
      results: z.array(QualityResultSchema.omit({ component: true, provider: true })),
    }),
  ),
});
export type QualityHistoryResponse = z.infer<typeof QualityHistoryResponseSchema>;

/** A component's rollout state at one instant: the `from` and `to` of an audit event. */
export const RolloutStateSchema = z.object({
  status: MigrationStatusSchema,
  weight: percent(),
  step: z.number().int().min(-1),
});
export type RolloutState = z.infer<typeof RolloutStateSchema>;

export const AUDIT_ACTIONS = ['set-weight', 'promote', 'rollback', 'resume', 'plan-deployed', 'quality-recorded', 'candidate-fallback', 'shadow-settings'] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** One entry of the append-only audit log: who or what, when, why, from, to. */
export const AuditEventSchema = z.object({
  id: z.string().min(1),
  at: isoTime(),
  component: ComponentSchema,
  /** `admin` (a person, through the admin API), `analysis` (automatic decision) or `deploy` (a new plan). */
  actor: z.string().min(1),
  action: AuditActionSchema,
  reason: z.string().min(1),
  from: RolloutStateSchema,
  to: RolloutStateSchema,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** `GET /admin/v1/events?component=&limit=&before=`: newest first; `nextBefore` pages further back. */
export const EventsResponseSchema = z.object({
  events: z.array(AuditEventSchema),
  nextBefore: z.string().nullable(),
});
export type EventsResponse = z.infer<typeof EventsResponseSchema>;

// ---------------------------------------------------------------- `GET /admin/v1/stream` (server-sent events)
// Each message is `event: <type>\ndata: <JSON payload>\n\n`, type one of ADMIN_STREAM_EVENT_TYPES.
// On connect the gateway sends one `state` per component, then changes as they happen.

export const StateStreamPayloadSchema = ComponentSummarySchema;
export type StateStreamPayload = z.infer<typeof StateStreamPayloadSchema>;

/**
 * The component's latest snapshot (`at` is its evaluation time), every few seconds. Beside the measurements
 * it repeats the snapshot's alerts, analysis, step time, verdict, criteria and gates, so a page that applies
 * it shows every figure from one evaluation. Those fields are optional: an older gateway sends only the first.
 */
export const MetricsStreamPayloadSchema = z.object({
  component: ComponentSchema,
  at: isoTime(),
  metrics: ComponentMetricsSchema,
  providers: z.object({ production: ProviderSummarySchema, mvp: ProviderSummarySchema }),
  health: z.number().min(0).max(100).nullable(),
  ...ComponentSummarySchema.pick({ alerts: true, evaluatedAt: true, analysis: true, stepTime: true, verdict: true, criteria: true, gates: true, capacity: true }).partial().shape,
});
export type MetricsStreamPayload = z.infer<typeof MetricsStreamPayloadSchema>;

export const AlertStreamPayloadSchema = z.object({
  component: ComponentSchema,
  state: z.enum(['firing', 'resolved']),
  alert: AlertSchema,
});
export type AlertStreamPayload = z.infer<typeof AlertStreamPayloadSchema>;

export const EventStreamPayloadSchema = AuditEventSchema;
export type EventStreamPayload = z.infer<typeof EventStreamPayloadSchema>;

export const ADMIN_STREAM_EVENT_TYPES = ['state', 'metrics', 'alert', 'event'] as const;

/** A decoded stream message: the SSE `event:` name as `type`, the parsed `data:` as `data`. */
export const AdminStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), data: StateStreamPayloadSchema }),
  z.object({ type: z.literal('metrics'), data: MetricsStreamPayloadSchema }),
  z.object({ type: z.literal('alert'), data: AlertStreamPayloadSchema }),
  z.object({ type: z.literal('event'), data: EventStreamPayloadSchema }),
]);
export type AdminStreamMessage = z.infer<typeof AdminStreamMessageSchema>;

/**
 * `PUT /admin/v1/components/{component}/shadow`: the component's shadow comparison settings (decision 0015),
 * whole, with the reason recorded in the audit log; answered with the settings now in force.
 */
export const ShadowSettingsRequestSchema = ShadowConfigSchema.extend({
  reason: z.string().trim().min(1, 'expected a reason (recorded in the audit log)').max(500),
});
export type ShadowSettingsRequest = z.input<typeof ShadowSettingsRequestSchema>;

/** `GET`/`PUT /admin/v1/components/{component}/shadow`: the settings in force on the gateway that answers. */
export const ShadowSettingsResponseSchema = z.object({
  component: ComponentSchema,
  settings: ShadowConfigSchema,
  /** What this gateway's shadow path did since it started. */
  counts: z.object({ sampled: count(), dropped: count(), failed: count(), compared: count() }),
});
export type ShadowSettingsResponse = z.infer<typeof ShadowSettingsResponseSchema>;
