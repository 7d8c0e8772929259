// The gateway's config file (JSON or YAML; the reader parses the text, this validates the value).
// Infra generates it from the Pulumi stack; `npm start` uses a local one pointing at the lab.
// Secrets are never values here: the file names environment variables (`...Env` keys) that hold them.
import { z } from 'zod';
import { COMPONENTS, type Component, type ProviderId } from '@bascule/routing';
import { PROVIDERS_BY_COMPONENT, ProviderIdSchema } from './vocabulary.ts';
import { parseDuration } from './duration.ts';
import { TTS_VOICE_IDS } from './services.ts';

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const envName = () =>
  z
    .string({ error: 'expected the NAME of an environment variable, e.g. "GROQ_API_KEY"' })
    .regex(ENV_NAME, 'expected the NAME of an environment variable (A-Z, 0-9, _), e.g. "GROQ_API_KEY", never the secret itself');

const positiveInt = (what: string) =>
  z.number({ error: `expected ${what}` }).int(`expected ${what}`).min(1, `expected ${what}`);
const nonNegative = (what: string) => z.number({ error: `expected ${what}` }).min(0, `expected ${what}`);
const weight = () =>
  z
    .number({ error: 'expected a number between 0 and 100' })
    .min(0, 'expected a number between 0 and 100')
    .max(100, 'expected a number between 0 and 100');
const httpUrl = () =>
  z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. "http://127.0.0.1:8000"' });

export const BodyLimitsSchema = z.strictObject({
  jsonBytes: positiveInt('a size in bytes').default(1_048_576),
  audioBytes: positiveInt('a size in bytes').default(10_485_760),
  imageBytes: positiveInt('a size in bytes').default(5_242_880),
});

const ORIGIN = /^https?:\/\/[^/\s]+$/i;

/**
 * `origin` as a browser writes it in its `Origin` header (scheme and host in lower case, no default port), or
 * null when it is not an origin alone. The gateway compares origins as strings, so "https://Lire.example.fr"
 * or "https://lire.example.fr:443" in the config would otherwise never match what the browser sends.
 */
function browserOrigin(origin: string): string | null {
  if (!ORIGIN.test(origin)) return null;
  try {
    const url = new URL(origin);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Browsers allowed to call the public API from another origin (the reading app's pages). */
export const CorsConfigSchema = z.strictObject({
  /** Exact origins, e.g. "https://lire.example.fr" (scheme, host, port; no path), or "*" for any. None by default. */
  allowedOrigins: z
    .array(
      z
        .string()
        .refine((o) => o === '*' || browserOrigin(o) !== null, {
          message: 'expected an origin such as "https://lire.example.fr" (no path, no trailing slash) or "*"',
        })
        .transform((o) => (o === '*' ? o : browserOrigin(o)!)),
    )
    .default([]),
});

export const ServerConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z
    .number({ error: 'expected a port between 0 and 65535' })
    .int('expected a port between 0 and 65535')
    .min(0, 'expected a port between 0 and 65535')
    .max(65535, 'expected a port between 0 and 65535')
    .default(8080),
  bodyLimits: BodyLimitsSchema.prefault({}),
  cors: CorsConfigSchema.prefault({}),
  /**
   * How many gateways share the rate limits below (behind one load balancer). Each enforces its share,
   * `ceil(limit / replicas)`, from counters in its own memory: no shared counter on the request path.
   */
  replicas: positiveInt('a whole number of gateways (>= 1)').default(1),
  /**
   * The request header that carries the client's address when a proxy you trust sets it (behind Cloudflare:
   * "cf-connecting-ip", which Cloudflare overwrites). The failed-authentication and admin limits count per
   * address; without this header they count per socket address, which behind a proxy is the proxy's.
   * Set it only when nothing but that proxy can reach the gateway: anyone else could forge the header.
   */
  clientAddressHeader: z
    .string()
    .regex(/^[a-z0-9-]+$/i, 'expected a header name such as "cf-connecting-ip"')
    .transform((h) => h.toLowerCase())
    .optional(),
});

export const ClientKeyConfigSchema = z.strictObject({
  /** Who holds the key (logs and metrics show this, never the key). */
  name: z.string().min(1),
  keyEnv: envName(),
});

export const AuthConfigSchema = z.strictObject({
  clientKeys: z.array(ClientKeyConfigSchema).min(1, 'expected at least one client key'),
  adminTokenEnv: envName(),
  /** Key of the keyed hash that replaces student ids in storage and logs. */
  studentHashKeyEnv: envName().optional(),
  /**
   * Requests a minute per client key, all students together: a ceiling that protects the gateways and the
   * paid providers' bills from a runaway client or a leaked key. See the gateway README for the arithmetic.
   */
  rateLimitPerMinute: positiveInt('a whole number of requests per minute').default(50_000),
  /** Requests a minute per student (`X-Student-Id`, or chat's `user`) and client key: one child cannot starve a class. */
  studentRateLimitPerMinute: positiveInt('a whole number of requests per minute').default(60),
  /** Ratings a minute per student, component and client key (`POST /v1/satisfaction`): a child tapping the stars cannot stuff the ballot. */
  ratingsPerMinute: positiveInt('a whole number of ratings per minute').default(3),
  /** Requests with a missing or unknown key a minute from one address before every request from it gets a 429. */
  failedAuthPerMinute: positiveInt('a whole number of attempts per minute').default(10),
});

const millis = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number of milliseconds between ${min} and ${max}` })
    .int(`expected a whole number of milliseconds between ${min} and ${max}`)
    .min(min, `expected a whole number of milliseconds between ${min} and ${max}`)
    .max(max, `expected a whole number of milliseconds between ${min} and ${max}`);

/** The analysis loop's lease among replicas sharing a PostgreSQL store. */
export const LeaseConfigSchema = z
  .strictObject({
    /** How long one renewal holds the lease: a dead holder is replaced within ttlMs + renewMs. */
    ttlMs: millis(1_000, 60_000).default(6_000),
    /** How often the holder renews, and the other replicas try to take it over. */
    renewMs: millis(100, 30_000).default(2_000),
  })
  .refine((l) => l.renewMs * 2 <= l.ttlMs, { message: 'renewMs: expected at most half of ttlMs (a holder must renew at least twice per lease)', path: ['renewMs'] });

/** Each gateway's heartbeat in the store, and when the analysis leader calls a silent one down. */
export const ReplicasConfigSchema = z
  .strictObject({
    /** How often each gateway writes its heartbeat. */
    heartbeatMs: millis(100, 60_000).default(5_000),
    /** A replica silent for longer is notified down (once), and back when it heartbeats again. */
    downAfterMs: millis(1_000, 600_000).default(15_000),
  })
  .refine((r) => r.heartbeatMs * 2 <= r.downAfterMs, { message: 'heartbeatMs: expected at most half of downAfterMs (one lost heartbeat must not call a replica down)', path: ['heartbeatMs'] });

export const StoreConfigSchema = z.strictObject({
  /** Folder of the embedded SQLite file; relative paths resolve from the gateway's working directory. */
  dataDir: z.string().min(1).default('./data'),
  /**
   * The environment variable holding a PostgreSQL URL (`postgres://user:password@host:5432/db`). When it is
   * set, every gateway using it shares that database instead of the SQLite file. BASCULE_DATABASE_URL, when
   * set, wins.
   */
  databaseUrlEnv: envName().optional(),
  /** How often each gateway writes its per-minute rollups (at most this much is lost on a crash). */
  flushIntervalMs: millis(100, 1_000).default(1_000),
  /** Bound of the rollups kept in memory while the store is away; the oldest past it are dropped and counted. */
  maxPendingRollups: positiveInt('a whole number of minute rollups').default(20_000),
  /** PostgreSQL: connecting, and each statement, give up after these. */
  connectTimeoutMs: millis(100, 60_000).default(2_000),
  queryTimeoutMs: millis(100, 60_000).default(5_000),
  /** PostgreSQL: every state re-read this often (the safety net under LISTEN/NOTIFY). */
  syncIntervalMs: millis(100, 2_000).default(1_000),
  lease: LeaseConfigSchema.prefault({}),
  replicas: ReplicasConfigSchema.prefault({}),
});

export const AnalysisConfigSchema = z.strictObject({
  intervalMs: positiveInt('a whole number of milliseconds').default(5_000),
});

export const WebhookConfigSchema = z.strictObject({
  url: httpUrl().optional(),
  timeoutMs: positiveInt('a whole number of milliseconds').default(3_000),
});

/** How much a notification matters; a channel receives its `minSeverity` and above. */
export const NOTIFICATION_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/** What happened. `test` is what `bascule notify test` sends. */
export const NOTIFICATION_KINDS = ['rollback', 'critical-alert', 'no-go', 'quality-failure', 'host-down', 'replica-down', 'replica-up', 'satisfaction-low', 'test'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const channelCommon = {
  /** Shown in logs and in `bascule notify test`'s answer; by default the type and its position. */
  name: z.string().min(1).optional(),
  minSeverity: z.enum(NOTIFICATION_SEVERITIES, { error: `expected one of ${NOTIFICATION_SEVERITIES.join(', ')}` }).default('warning'),
  /** Only these kinds (all by default). */
  events: z.array(z.enum(NOTIFICATION_KINDS, { error: `expected one of ${NOTIFICATION_KINDS.join(', ')}` })).min(1).optional(),
};
/** Incoming-webhook URLs carry their own credential: the config names the variable that holds one. */
const webhookChannel = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), urlEnv: envName(), ...channelCommon });
const email = () => z.string().regex(/^[^@\s]+@[^@\s]+$/, 'expected an e-mail address such as "ops@example.org"');

export const NotificationChannelSchema = z.discriminatedUnion(
  'type',
  [
    webhookChannel('slack'),
    webhookChannel('discord'),
    webhookChannel('teams'),
    z
      .strictObject({ type: z.literal('webhook'), url: httpUrl().optional(), urlEnv: envName().optional(), ...channelCommon })
      .refine((c) => (c.url === undefined) !== (c.urlEnv === undefined), { message: 'expected either url or urlEnv', path: ['url'] }),
    z.strictObject({
      type: z.literal('email'),
      smtp: z.strictObject({
        host: z.string().min(1, 'expected the SMTP server\'s host name'),
        port: z.number().int().min(1).max(65535).default(587),
        /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        userEnv: envName().optional(),
        passwordEnv: envName().optional(),
      }),
      from: email(),
      to: z.array(email()).min(1, 'expected at least one recipient'),
      ...channelCommon,
    }),
  ],
  { error: 'expected a channel type: slack, discord, teams, webhook or email' },
);
export type NotificationChannelConfig = z.output<typeof NotificationChannelSchema>;

/** Where alerts go. Sent only by the analysis leader, off the request path, retried with backoff. */
export const NotificationsConfigSchema = z.strictObject({
  channels: z.array(NotificationChannelSchema).default([]),
  /** Per attempt. */
  timeoutMs: positiveInt('a whole number of milliseconds').default(5_000),
  /** Attempts after the first one fails. */
  retries: z.number().int().min(0).max(10).default(3),
  /** First wait before a retry; doubled each time. */
  backoffMs: positiveInt('a whole number of milliseconds').default(1_000),
  /** A critical alert on the same condition is sent at most once in this time. */
  criticalDebounceMs: z.number().int().min(0).default(900_000),
});
export type NotificationsConfig = z.output<typeof NotificationsConfigSchema>;

/** What one unit of a provider's bill is. Self-hosted providers cost 0 per request (the VPS is fixed). */
export const PRICING_UNITS = ['token', 'audio_second', 'image', 'character', 'request'] as const;

export const PricingSchema = z.strictObject({
  unit: z.enum(PRICING_UNITS),
  eurPerUnit: nonNegative('a price in euros (>= 0)'),
  /** Requests a month the provider does not bill (Hugging Face's free tier: 1 000). */
  freeRequestsPerMonth: z.number({ error: 'expected a whole number of requests a month (>= 0)' }).int('expected a whole number of requests a month (>= 0)').min(0, 'expected a whole number of requests a month (>= 0)').optional(),
});
export type Pricing = z.infer<typeof PricingSchema>;

export const ProviderConfigSchema = z.strictObject({
  /** Required (or `baseUrls`) except for `web-speech`, which runs in the browser. */
  baseUrl: httpUrl().optional(),
  /**
   * Several hosts of a self-hosted provider, instead of `baseUrl`: the gateway balances calls by least
   * outstanding requests, with a circuit breaker per host.
   */
  baseUrls: z
    .array(httpUrl(), { error: 'expected a list of http(s) URLs' })
    .min(1, 'expected at least one URL')
    .refine((urls) => new Set(urls.map((u) => u.replace(/\/+$/, ''))).size === urls.length, 'expected distinct URLs (a host listed twice would get twice its share)')
    .optional(),
  model: z.string().min(1).optional(),
  /** Default voice (tts providers): for coqui one of the plan's voices (TTS_VOICES); for web-speech a browser voice name. */
  voice: z.string().min(1).optional(),
  apiKeyEnv: envName().optional(),
  timeoutMs: positiveInt('a whole number of milliseconds').default(10_000),
  /**
   * Self-hosted providers: requests one host computes at once without slowing each other (default 1: one
   * model instance per GPU, requests in turn). The capacity forecast divides the load by hosts × this.
   */
  parallelSlots: positiveInt('a whole number of requests a host computes at once').optional(),
  pricing: PricingSchema.default({ unit: 'request', eurPerUnit: 0 }),
  /**
   * A component's production provider only: it is deployed and warm, so it serves as the MVP's fallback
   * (when the MVP fails and its breaker is closed) even while the component's status is still `mvp`. Once
   * the migration has started (any other status) it does so whatever this says. Default false.
   */
  fallbackForMvp: z.boolean({ error: 'expected true or false' }).optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

/** A step of the plan: a weight held for at least a duration, given in ms or as text ("48h"). */
export const PlanStepSchema = z
  .strictObject({
    weight: weight(),
    minDurationMs: z.number({ error: 'expected a whole number of milliseconds' }).int().min(0).optional(),
    duration: z.string().optional(),
  })
  .transform((step, ctx) => {
    if (step.duration !== undefined && step.minDurationMs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'expected either duration or minDurationMs, not both' });
      return z.NEVER;
    }
    const ms = step.duration === undefined ? step.minDurationMs : parseDuration(step.duration);
    if (ms === undefined) {
      const path = step.duration === undefined ? ['minDurationMs'] : ['duration'];
      ctx.addIssue({ code: 'custom', path, message: 'expected a duration such as "48h", "30m", "7d" or minDurationMs' });
      return z.NEVER;
    }
    return { weight: step.weight, minDurationMs: ms };
  });
export type PlanStep = z.output<typeof PlanStepSchema>;

export const RolloutPlanSchema = z
  .strictObject({
    /** Deploying a new version resets a rollback and restarts the plan. */
    version: z.union([z.number().int().min(1), z.string().min(1)], { error: 'expected a version number or name' }),
    steps: z.array(PlanStepSchema).min(1, 'expected at least one step'),
    autoPromote: z.boolean().default(false),
    /** Consecutive evaluations a critical alert must persist before an automatic rollback. */
    rollbackAfterEvaluations: positiveInt('a whole number of evaluations').default(3),
    /**
     * Adds user satisfaction to GO/NO-GO (a mean of at least 7/10 over 30 ratings of the candidate's students
     * during the step). Off by default: turn it on once the app posts ratings (`POST /v1/satisfaction`), or
     * every step would wait for ratings that never come. The alert below 7/10 runs either way.
     */
    satisfactionCriterion: z.boolean().default(false),
    /** The request deadline for the component, fallback included. */
    slaMs: positiveInt('a whole number of milliseconds'),
    /**
     * The health check's quality threshold: a production quality score (benchmarks, shadow agreement) below it
     * raises a warning, sent to the channels, and lowers the health. The plan's 0.8 when omitted.
     */
    qualityWarning: z.number({ error: 'expected a fraction between 0 and 1 (0.8 for 80 %)' }).gt(0, 'expected a fraction between 0 and 1 (0.8 for 80 %)').lt(1, 'expected a fraction between 0 and 1 (0.8 for 80 %)').optional(),
  })
  .superRefine((plan, ctx) => {
    plan.steps.forEach((step, i) => {
      const previous = plan.steps[i - 1];
      if (previous && step.weight <= previous.weight) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'weight'], message: `expected more than the previous step's weight (${previous.weight})` });
      }
    });
  });
export type RolloutPlan = z.output<typeof RolloutPlanSchema>;

/**
 * Shadow comparison of a component (decision 0015): a sample of the requests the MVP served is also sent to
 * the production provider off the request path, and only the scores of the comparison are kept. Off by default.
 */
export const ShadowConfigSchema = z.strictObject({
  enabled: z.boolean({ error: 'expected true or false' }).default(false),
  /** Share of the MVP-served requests shadowed, 0..1. */
  sampleRate: z.number({ error: 'expected a fraction between 0 and 1' }).min(0, 'expected a fraction between 0 and 1').max(1, 'expected a fraction between 0 and 1 (0.2, not 20)').default(0.1),
  /** Shadow calls a minute at most, on this gateway (the budget: what the production provider is spared). */
  maxPerMinute: z.number({ error: 'expected a whole number of calls a minute' }).int('expected a whole number of calls a minute').min(0, 'expected a whole number of calls a minute').default(60),
  /** Shadow calls in flight at most, on this gateway; a sampled request past it is dropped and counted. */
  maxConcurrent: positiveInt('a whole number of calls').default(4),
  /** The shadow call's own deadline: at most a minute (Node's timers overflow past 2^31 ms and fire at once). */
  timeoutMs: positiveInt('a whole number of milliseconds').max(60_000, 'expected at most 60000 ms (a minute)').default(10_000),
});
export type ShadowConfig = z.output<typeof ShadowConfigSchema>;
export const DEFAULT_SHADOW: ShadowConfig = ShadowConfigSchema.parse({});

/** The settings of one component; `mvp`, `production` and `providers` only admit that component's providers. */
export function componentConfigSchema(component: Component) {
  const allowed = PROVIDERS_BY_COMPONENT[component] as [ProviderId, ...ProviderId[]];
  const providerOf = z.enum(allowed, { error: `expected a provider of ${component}: ${allowed.join(', ')}` });
  return z
    .strictObject({
      mvp: providerOf,
      production: providerOf,
      plan: RolloutPlanSchema,
      providers: z.partialRecord(providerOf, ProviderConfigSchema),
      shadow: ShadowConfigSchema.prefault({}),
    })
    .superRefine((config, ctx) => checkComponent(config, ctx));
}

export const ComponentConfigSchema = z.strictObject({
  mvp: ProviderIdSchema,
  production: ProviderIdSchema,
  plan: RolloutPlanSchema,
  providers: z.partialRecord(ProviderIdSchema, ProviderConfigSchema),
  shadow: ShadowConfigSchema.prefault({}),
});
export type ComponentConfig = z.output<typeof ComponentConfigSchema>;

/** Cross-field rules of one component: both providers are configured, distinct, and can be reached. */
function checkComponent(config: ComponentConfig, ctx: z.RefinementCtx): void {
  for (const role of ['mvp', 'production'] as const) {
    const id = config[role];
    if (!config.providers[id]) {
      ctx.addIssue({ code: 'custom', path: ['providers', id], message: `expected the settings of the ${role} provider "${id}"` });
    }
  }
  if (config.mvp === config.production) {
    ctx.addIssue({ code: 'custom', path: ['production'], message: 'expected a provider different from mvp' });
  }
  for (const [id, provider] of Object.entries(config.providers) as [ProviderId, ProviderConfig][]) {
    if (provider.baseUrl !== undefined && provider.baseUrls !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['providers', id, 'baseUrls'], message: 'set either baseUrl (one host) or baseUrls (several), not both' });
    }
    if (id !== 'web-speech' && provider.baseUrl === undefined && provider.baseUrls === undefined) {
      ctx.addIssue({ code: 'custom', path: ['providers', id, 'baseUrl'], message: 'missing (expected an http(s) URL, e.g. "http://127.0.0.1:8000", or baseUrls: a list of them)' });
    }
    // The public API names the plan's voices; a default the gateway cannot be asked for would be a typo.
    if (id === 'coqui' && provider.voice !== undefined && !(TTS_VOICE_IDS as readonly string[]).includes(provider.voice)) {
      ctx.addIssue({ code: 'custom', path: ['providers', id, 'voice'], message: `expected one of the plan's voices: ${TTS_VOICE_IDS.join(', ')}` });
    }
  }
}

export const VpsConfigSchema = z.strictObject({
  monthlyCostEur: nonNegative('a monthly cost in euros (>= 0)'),
  oneTimeCostEur: nonNegative('a one-time cost in euros (>= 0)').default(0),
  /**
   * Requests a month the self-hosted providers are expected to serve once every component is migrated (the
   * plan's volume is about 1 130 000). Each self-hosted request is charged monthlyCostEur / this, so cost per
   * request compares with the MVP's on the same footing; without it, self-hosted requests cost only their own
   * pricing (usually 0) and every cost criterion passes trivially.
   */
  expectedMonthlyRequests: positiveInt('a whole number of requests a month (> 0)').optional(),
});

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const hostname = () =>
  z
    .string({ error: 'expected a host name such as "admin.example.fr"' })
    .regex(HOSTNAME, 'expected a host name such as "admin.example.fr" (no scheme, no port, no path)')
    .transform((h) => h.toLowerCase());

/** Cloudflare Access in front of the admin API and the dashboard: the gateway verifies the JWT Access adds. */
export const AccessConfigSchema = z.strictObject({
  /** The Zero Trust team domain, e.g. "bascule.cloudflareaccess.com": certificates at https://<teamDomain>/cdn-cgi/access/certs. */
  teamDomain: hostname(),
  /** The Access application's AUD tag. */
  audience: z.string({ error: "expected the Access application's AUD tag" }).min(1, "expected the Access application's AUD tag"),
});

export const AdminConfigSchema = z.strictObject({
  /** When set, /admin/v1 and /dashboard/ answer only on these Host names (404 elsewhere, e.g. on the API hostname). */
  hostnames: z.array(hostname()).min(1, 'expected at least one host name, or leave hostnames out').optional(),
  /** When set, a valid Cf-Access-Jwt-Assertion is required on /admin/v1 and /dashboard/, besides the admin token. */
  access: AccessConfigSchema.optional(),
  /** Admin API requests a minute per client address. */
  rateLimitPerMinute: positiveInt('a whole number of requests per minute').default(300),
  /** Open `/admin/v1/stream` connections at most: per caller (the Access e-mail, else the admin token) and in all. */
  streams: z
    .strictObject({
      perCaller: positiveInt('a whole number of connections').default(4),
      total: positiveInt('a whole number of connections').default(32),
    })
    .prefault({}),
});

/** `/metrics` on a separate listener (the private monitoring path) instead of the public port. */
export const MetricsConfigSchema = z
  .strictObject({
    host: z.string().min(1, 'expected an address to listen on, e.g. "10.8.0.2"').optional(),
    port: z
      .number({ error: 'expected a port between 0 and 65535 (0: any free port)' })
      .int('expected a port between 0 and 65535 (0: any free port)')
      .min(0, 'expected a port between 0 and 65535 (0: any free port)')
      .max(65535, 'expected a port between 0 and 65535 (0: any free port)')
      .optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.host === undefined) !== (m.port === undefined)) {
      ctx.addIssue({ code: 'custom', path: [m.host === undefined ? 'host' : 'port'], message: 'missing (expected host and port together, or neither)' });
    }
  });

export const GatewayConfigSchema = z
  .strictObject({
    server: ServerConfigSchema.prefault({}),
    auth: AuthConfigSchema,
    admin: AdminConfigSchema.prefault({}),
    metrics: MetricsConfigSchema.prefault({}),
    store: StoreConfigSchema.prefault({}),
    analysis: AnalysisConfigSchema.prefault({}),
    /** The first channel there was: a generic JSON webhook, kept beside `notifications` (critical events). */
    webhook: WebhookConfigSchema.prefault({}),
    notifications: NotificationsConfigSchema.prefault({}),
    /** The components this gateway serves; a component left out answers 404. */
    components: z.strictObject({
      llm: componentConfigSchema('llm').optional(),
      stt: componentConfigSchema('stt').optional(),
      tts: componentConfigSchema('tts').optional(),
      vision: componentConfigSchema('vision').optional(),
    }),
    vps: VpsConfigSchema,
  });

/** The config as written (defaults may be omitted; durations may be text). */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
/** The config as the gateway uses it (defaults applied; durations in ms). */
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

export interface ConfigIssue {
  /** e.g. `components.stt.plan.steps[1].weight` ("(root)" for the file itself). */
  path: string;
  message: string;
}

/** Thrown by parseGatewayConfig; its message has one line per bad key. */
export class GatewayConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid gateway config:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'GatewayConfigError';
    this.issues = issues;
  }
}

/** `["components","stt","plan","steps",1,"weight"]` → `components.stt.plan.steps[1].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : `${typeof value}`;
}

/** One readable line per problem; unknown keys are listed one by one, each at its own path. */
export function configIssues(error: z.ZodError, input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
      continue;
    }
    const received = valueAt(input, issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type' && received === undefined) message = `missing (${message.replace(/^Invalid input: /, '')})`;
    else if (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_format') {
      message = `${message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '')}, got ${describeValue(received)}`;
    }
    if (issue.code === 'invalid_key' || (issue.code === 'invalid_value' && issue.path.length > 0 && !isPresentKey(input, issue.path))) {
      message = `unknown key (${message})`;
    }
    issues.push({ path: formatPath(issue.path), message });
  }
  return issues;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isPresentKey(input: unknown, path: readonly PropertyKey[]): boolean {
  const parent = valueAt(input, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.hasOwn(parent, path[path.length - 1] as PropertyKey);
}

/** Validates a parsed config file (JSON or YAML); throws GatewayConfigError listing every bad key by path. */
export function parseGatewayConfig(input: unknown): GatewayConfig {
  const result = GatewayConfigSchema.safeParse(input);
  if (!result.success) throw new GatewayConfigError(configIssues(result.error, input));
  return result.data;
}

/** The plan's default steps: 10 % for 48 h, 50 % for 48 h, 100 % for 7 days. */
export const DEFAULT_PLAN_STEPS = [
  { weight: 10, duration: '48h' },
  { weight: 50, duration: '48h' },
  { weight: 100, duration: '7d' },
] as const;

export interface LocalConfigOptions {
  /** Base URL of each provider's stand-in; by default `${labBaseUrl}/${provider}`. */
  labBaseUrl?: string;
  baseUrlFor?: (provider: ProviderId) => string;
  port?: number;
  dataDir?: string;
}

/** The plan's monthly volume over the four components (200 000 llm, 400 000 stt, 500 000 tts, 30 000 vision). */
export const PLAN_MONTHLY_REQUESTS = 1_130_000;

/**
 * The plan's prices. MVP: Hugging Face 100 € a month (0.0005 € a request past 1 000 free ones), the Whisper
 * API 180 € (0.009 € a minute of audio), EasyOCR 0 € (run by the school) — 280 € in all. Production: the VPS
 * (80 €, in `vps`) and Groq's tokens (0.80 € per million, 80 € a month) — 160 €, each counted once.
 */
export const PLAN_PRICES: Readonly<Partial<Record<ProviderId, Pricing>>> = {
  huggingface: { unit: 'request', eurPerUnit: 0.0005, freeRequestsPerMonth: 1_000 },
  'openai-whisper': { unit: 'audio_second', eurPerUnit: 0.00015 },
  easyocr: { unit: 'image', eurPerUnit: 0 },
  groq: { unit: 'token', eurPerUnit: 0.0000008 },
};

/** The VPS of the plan: 80 € a month, 3 600 € one-time for the migration work. */
export const PLAN_VPS = { monthlyCostEur: 80, oneTimeCostEur: 3_600 } as const;

/** Production provider of each component in the plan (`groq` for llm; `vps-llm` is the alternative). */
const LOCAL_PAIRS: Record<Component, { mvp: ProviderId; production: ProviderId; slaMs: number }> = {
  llm: { mvp: 'huggingface', production: 'groq', slaMs: 5_000 },
  stt: { mvp: 'openai-whisper', production: 'faster-whisper', slaMs: 2_000 },
  tts: { mvp: 'web-speech', production: 'coqui', slaMs: 2_000 },
  vision: { mvp: 'easyocr', production: 'trocr', slaMs: 2_000 },
};
const FREE: Pricing = { unit: 'request', eurPerUnit: 0 };

/**
 * A complete, valid config for running on one machine: every provider at a local stand-in, the env var
 * names of the design (`BASCULE_CLIENT_KEY`, `BASCULE_ADMIN_TOKEN`), the plan's default steps and costs.
 * The prices are the plan's (PLAN_PRICES, PLAN_VPS).
 */
export function defaultLocalConfig(options: LocalConfigOptions = {}): GatewayConfig {
  const lab = (options.labBaseUrl ?? 'http://127.0.0.1:8090').replace(/\/+$/, '');
  const baseUrlFor = options.baseUrlFor ?? ((provider: ProviderId) => `${lab}/${provider}`);
  const components: Record<string, unknown> = {};
  for (const component of COMPONENTS) {
    const pair = LOCAL_PAIRS[component];
    const providers: Record<string, unknown> = {};
    for (const id of PROVIDERS_BY_COMPONENT[component]) {
      providers[id] = id === 'web-speech' ? {} : { baseUrl: baseUrlFor(id), pricing: PLAN_PRICES[id] ?? FREE };
      // Every local stand-in is up from the start: the candidate backs the MVP up before the migration starts.
      if (id === pair.production) (providers[id] as Record<string, unknown>).fallbackForMvp = true;
    }
    components[component] = {
      mvp: pair.mvp,
      production: pair.production,
      // The lab's simulated class rates what it used, so the local demo judges satisfaction too.
      plan: { version: 1, steps: DEFAULT_PLAN_STEPS.map((s) => ({ ...s })), slaMs: pair.slaMs, satisfactionCriterion: true },
      providers,
    };
  }
  return parseGatewayConfig({
    // Any origin locally: the app under development runs on its own dev server's port.
    server: { port: options.port ?? 8080, cors: { allowedOrigins: ['*'] } },
    auth: { clientKeys: [{ name: 'local', keyEnv: 'BASCULE_CLIENT_KEY' }], adminTokenEnv: 'BASCULE_ADMIN_TOKEN' },
    store: { dataDir: options.dataDir ?? './data' },
    components,
    vps: { ...PLAN_VPS, expectedMonthlyRequests: PLAN_MONTHLY_REQUESTS },
  });
}

