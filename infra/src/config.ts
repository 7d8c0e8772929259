// One typed, validated view of the stack's config (`bascule:*`). Every error names the key and what was
// expected. Secrets are never read here as plain values: they come as Pulumi secret outputs (secrets.ts).
import { z } from 'zod';
import { CorsConfigSchema, ShadowConfigSchema } from '@bascule/contracts';
import { PHASES } from './phases.ts';

const CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}\/(?:\d|[12]\d|3[0-2])|[0-9a-fA-F:]+\/\d{1,3})$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A tag naming one llama.cpp build (`…-b<number>`) or a digest: never a floating tag such as `server-cuda`. */
const PINNED_IMAGE = /^[a-z0-9./_-]+(?::[A-Za-z0-9._-]*-b\d+(?:@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$/;
/** llama.cpp's CUDA 12 server image, one build (https://github.com/ggml-org/llama.cpp/pkgs/container/llama.cpp). */
export const LLAMA_IMAGE = 'ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603';

const cidr = () => z.string().regex(CIDR, 'expected a CIDR block such as "198.51.100.7/32"');
const label = () => z.string().regex(LABEL, 'expected a DNS label such as "api" (a-z, 0-9, -)');

const ContaboSchema = z.strictObject({
  /** The instance ordered in Contabo's configurator (GPU VPS cannot be created through the API). */
  instanceId: z.number({ error: 'expected the numeric id of the Contabo instance' }).int().positive(),
  displayName: z.string().min(1).max(255).optional(),
  /** Reinstalling wipes the disk: it only happens when this image id changes AND allowReinstall is true. */
  imageId: z.string().min(1).optional(),
  sshKeySecretIds: z.array(z.number().int().positive()).optional(),
  /** "stopped" powers the instance off (Contabo's stop action); "running" starts it again. */
  powerState: z.enum(['running', 'stopped'], { error: 'expected "running" or "stopped"' }).default('running'),
  allowReinstall: z.boolean().default(false),
  /** Contabo cancels (ends the contract of) an instance on delete: refused unless this is true. */
  allowCancel: z.boolean().default(false),
  clientId: z.string({ error: 'expected the Contabo API client id (from the customer panel, API section)' }).min(1),
  apiUrl: z.url().default('https://api.contabo.com'),
  authUrl: z.url().default('https://auth.contabo.com/auth/realms/contabo/protocol/openid-connect/token'),
});

/** The private network between Bascule's hosts (WireGuard): every host has one address in it. */
export const PRIVATE_CIDR = '10.77.0.0/24';
const PRIVATE_ADDRESS = /^10\.77\.0\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/;
/** An SSH host key as `ssh-keyscan <address> | cut -d' ' -f2-` prints it: "<type> <base64>". */
const SSH_HOST_KEY = /^(?:ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) [A-Za-z0-9+/]+={0,3}$/;

/** What every host has: how to reach it (SSH, pinned host key), its private address, and where it comes from. */
const hostFields = {
  provider: z.enum(['contabo', 'existing'], { error: 'expected "contabo" (adopt a Contabo instance by id) or "existing" (any host by address)' }),
  /** Public IPv4 address; read from Contabo's API when provider is contabo and this is left out. */
  address: z.ipv4({ error: 'expected the IPv4 address of the host, e.g. "203.0.113.10"' }).optional(),
  /** A non-root user with sudo: the bootstrap turns root and password logins off. */
  sshUser: z
    .string()
    .min(1)
    .refine((user) => user !== 'root', 'expected a non-root user with sudo (the bootstrap turns root login off); see docs/runbooks/00-first-time-setup.md')
    .default('deploy'),
  sshPort: z.number().int().min(1).max(65535).default(22),
  /** The SSH host key, pinned so that no connection (secrets travel over them) can be intercepted. */
  sshHostKey: z.string({ error: `expected the host's SSH key: ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-` }).regex(SSH_HOST_KEY, `expected "<type> <base64>" as printed by: ssh-keyscan -t ed25519 <address> | cut -d' ' -f2-`),
  /** The host's address on the private network (WireGuard), in 10.77.0.0/24. */
  privateAddress: z.string().regex(PRIVATE_ADDRESS, `expected an address of the private network ${PRIVATE_CIDR}, e.g. "10.77.0.1"`),
  contabo: ContaboSchema.optional(),
};

function checkProvider(host: { provider: string; contabo?: unknown; address?: string }, ctx: z.RefinementCtx): void {
  if (host.provider === 'contabo' && !host.contabo) {
    ctx.addIssue({ code: 'custom', path: ['contabo'], message: 'missing (expected { instanceId, clientId } when provider is "contabo")' });
  }
  if (host.provider === 'existing' && !host.address) {
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'missing (expected the IPv4 address when provider is "existing")' });
  }
}

/** The GPU host: it serves the model services only, to the gateways only (over the private network). */
const HostSchema = z
  .strictObject({
    ...hostFields,
    gpu: z.strictObject({
      model: z.string().min(1),
      vramMb: z.number({ error: 'expected the VRAM of the card in MB, e.g. 20480' }).int().positive(),
    }),
  })
  .superRefine(checkProvider);

/** A gateway host: a small CPU VPS running the gateway (and PostgreSQL or the monitoring where named). */
const GatewayHostSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, 'expected a short name such as "gw-1" (a-z, 0-9, -)'),
    ...hostFields,
  })
  .superRefine(checkProvider);

export type GpuHostConfig = z.output<typeof HostSchema>;
export type GatewayHostConfig = z.output<typeof GatewayHostSchema>;
export type HostConfig = Omit<GpuHostConfig, 'gpu'>;

const DatabaseSchema = z.strictObject({
  /** The gateway host that runs PostgreSQL's primary. */
  primary: z.string().min(1),
  /** The gateway host that runs a streaming standby (promoted by hand, docs/runbooks/gateway-host-down.md). */
  standby: z.string().min(1).optional(),
  backup: z.strictObject({
    /** restic repository off the hosts, e.g. "s3:https://eu2.contabostorage.com/bascule-backups/production". */
    repository: z.string().regex(/^(?:s3:https:\/\/|b2:|sftp:|rest:https:\/\/|azure:|gs:)\S+$/, 'expected a restic repository off the hosts, e.g. "s3:https://eu2.contabostorage.com/bascule-backups/production"'),
    /** systemd OnCalendar of the dump. */
    onCalendar: z.string().min(1).default('*-*-* *:17:00'),
    keepHourly: z.number().int().min(0).default(24),
    keepDaily: z.number().int().min(1).default(14),
    keepWeekly: z.number().int().min(0).default(8),
    keepMonthly: z.number().int().min(0).default(12),
  }),
});

const MonitoringSchema = z.strictObject({
  /** The gateway host that runs Prometheus and Alertmanager (default: the last gateway host). */
  host: z.string().min(1).optional(),
  /** Where Alertmanager sends alerts (its webhook JSON), e.g. an ntfy or chat relay. */
  alertWebhookUrl: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL that receives the alerts' }),
});

const DnsSchema = z.strictObject({
  /** The Cloudflare zone, e.g. "example.org". */
  zone: z.string().regex(HOSTNAME, 'expected a domain name such as "example.org"'),
  /** The public API's host name (the reading app calls it). */
  gateway: label().default('api'),
  /** The admin host name: the admin API and the dashboard, behind Cloudflare Access, and only there. */
  admin: label().default('admin'),
  /**
   * A zone has one configuration-rules and one redirect-rules entry point: one stack of the zone owns them
   * (`manage: true`) and lists the other stacks' host names in `otherHostnames`; the others set false.
   */
  zoneRules: z
    .strictObject({
      manage: z.boolean().default(true),
      otherHostnames: z.array(z.string().regex(HOSTNAME, 'expected a host name such as "api-staging.example.org"')).default([]),
    })
    .prefault({}),
});

const CloudflareSchema = z.strictObject({
  accountId: z.string().regex(/^[0-9a-f]{32}$/, 'expected the 32-hex-digit Cloudflare account id'),
  /** Who may open the dashboard (Cloudflare Access, one-time PIN or the account's identity provider). */
  accessEmails: z.array(z.email({ error: 'expected an e-mail address' })).default([]),
  accessEmailDomain: z.string().regex(HOSTNAME, 'expected a domain name such as "example.org"').optional(),
  /** The Zero Trust team's domain; the gateway checks the Access JWT against its certificates. */
  teamDomain: z.string().regex(/^[a-z0-9-]+\.cloudflareaccess\.com$/, 'expected the Zero Trust team domain, e.g. "bascule.cloudflareaccess.com"'),
  /** Who Cloudflare tells when a gateway origin goes down or up (the pool's notification e-mail). */
  notificationEmail: z.email({ error: 'expected an e-mail address' }).optional(),
});

const AdminSchema = z.strictObject({
  /** Addresses allowed to reach SSH (port 22); nothing else is. */
  sshCidrs: z.array(cidr()).min(1, 'expected at least one admin address for SSH, e.g. ["198.51.100.7/32"]'),
});

const LlmSchema = z.strictObject({
  /** false: Groq's API is the production provider. true: llama.cpp's server on the host. */
  selfHosted: z.boolean().default(false),
  /** GGUF file llama.cpp downloads from Hugging Face (repo:quant). */
  hfModel: z.string().min(1).default('bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M'),
  /** llama.cpp's published CUDA server image, pinned to one build (its CUDA must suit the host's driver). */
  image: z
    .string()
    .regex(PINNED_IMAGE, 'expected an image pinned to a build tag or a digest, e.g. "ghcr.io/ggml-org/llama.cpp:server-cuda12-b9603"')
    .default(LLAMA_IMAGE),
  contextSize: z.number().int().min(512).max(131072).default(8192),
  groqModel: z.string().min(1).default('llama-3.1-8b-instant'),
});

const GatewaySchema = z.strictObject({
  /** Requests a minute per client key, all gateways together (the gateway README has the arithmetic). */
  rateLimitPerMinute: z.number().int().positive().default(50_000),
  /** Requests a minute per student, all gateways together. */
  studentRateLimitPerMinute: z.number().int().positive().default(60),
  /** Requests with a bad client key or admin token a minute from one address before it gets 429s. */
  failedAuthPerMinute: z.number().int().positive().default(10),
  /** Admin API and dashboard requests a minute per address. */
  adminRateLimitPerMinute: z.number().int().positive().default(300),
  webhookUrl: z.url().optional(),
  vpsMonthlyCostEur: z.number().min(0),
  vpsOneTimeCostEur: z.number().min(0).default(0),
  /** Requests a month the self-hosted models will serve; each is charged its share of vpsMonthlyCostEur. */
  expectedMonthlyRequests: z.number().int().positive().optional(),
  /** Origins of the reading app's pages allowed to call the public API from the browser (CORS). */
  allowedOrigins: CorsConfigSchema.shape.allowedOrigins,
  /** The MVP's EasyOCR service (vision). Required from the vision phase on. */
  easyocrUrl: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the EasyOCR service' }).optional(),
  /**
   * The shadow comparison per component (decision 0015), written into each gateway's config once the
   * component's phase is reached; off when left out. Budgets and bounds are per gateway.
   */
  shadow: z
    .strictObject({ llm: ShadowConfigSchema.optional(), stt: ShadowConfigSchema.optional(), tts: ShadowConfigSchema.optional(), vision: ShadowConfigSchema.optional() })
    .prefault({}),
});

const DIGEST_IMAGE = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
const digestImage = () => z.string().regex(DIGEST_IMAGE, 'expected an image pinned by digest, e.g. "ghcr.io/<owner>/bascule-whisper@sha256:<64 hex>" (the images workflow prints it)');

/**
 * Images built and pushed by CI (.github/workflows/images.yml), pulled by digest on the hosts. An image
 * left out is built on its host over SSH from the checked-out repo, as before.
 */
const ImagesSchema = z
  .strictObject({ gateway: digestImage().optional(), whisper: digestImage().optional(), tts: digestImage().optional(), trocr: digestImage().optional() })
  .prefault({});
export type ImagesConfig = z.output<typeof ImagesSchema>;

export const StackConfigSchema = z
  .strictObject({
    phase: z.enum(PHASES, { error: `expected one of ${PHASES.join(', ')}` }),
    host: HostSchema,
    gatewayHosts: z.array(GatewayHostSchema).min(2, 'expected at least two gateway hosts (the load balancer needs a second one when one is down)'),
    database: DatabaseSchema,
    monitoring: MonitoringSchema,
    dns: DnsSchema,
    cloudflare: CloudflareSchema,
    admin: AdminSchema,
    llm: LlmSchema.prefault({}),
    gateway: GatewaySchema,
    images: ImagesSchema,
  })
  .superRefine((config, ctx) => {
    const { accessEmails, accessEmailDomain } = config.cloudflare;
    if (config.phase === 'vision' && config.gateway.easyocrUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['gateway', 'easyocrUrl'], message: 'missing (expected the URL of the EasyOCR service, the MVP provider of vision)' });
    }
    const names = config.gatewayHosts.map((h) => h.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['gatewayHosts', i, 'name'], message: `"${name}" is used by two gateway hosts` });
    });
    const privates = [config.host.privateAddress, ...config.gatewayHosts.map((h) => h.privateAddress)];
    config.gatewayHosts.forEach((h, i) => {
      if (privates.indexOf(h.privateAddress) !== i + 1) ctx.addIssue({ code: 'custom', path: ['gatewayHosts', i, 'privateAddress'], message: `${h.privateAddress} is already another host's` });
    });
    const named = (path: (string | number)[], name: string | undefined) => {
      if (name !== undefined && !names.includes(name)) ctx.addIssue({ code: 'custom', path, message: `expected the name of a gateway host (${names.join(', ')})` });
    };
    named(['database', 'primary'], config.database.primary);
    named(['database', 'standby'], config.database.standby);
    named(['monitoring', 'host'], config.monitoring.host);
    if (config.database.standby !== undefined && config.database.standby === config.database.primary) {
      ctx.addIssue({ code: 'custom', path: ['database', 'standby'], message: 'expected another gateway host than the primary' });
    }
    if (accessEmails.length === 0 && accessEmailDomain === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cloudflare', 'accessEmails'], message: 'expected at least one e-mail (or accessEmailDomain) allowed to open the dashboard' });
    }
  });

export type StackConfig = z.output<typeof StackConfigSchema>;
export const CONFIG_KEYS = Object.keys(StackConfigSchema.shape) as (keyof StackConfig)[];

/** Raised for a bad stack config; one line per problem, each naming the `bascule:` key. */
export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack config:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'StackConfigError';
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  const [top, ...rest] = path;
  let out = `bascule:${String(top ?? '')}`;
  for (const key of rest) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/**
 * Validates the values of `bascule:*` (objects already parsed from YAML/JSON). `read(key)` answers the
 * raw value of one key, or undefined when it is not set. Secret keys are not read here.
 */
export function parseStackConfig(read: (key: string) => unknown): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = read(key);
    if (value !== undefined) raw[key] = value;
  }
  const result = StackConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new StackConfigError(
    result.error.issues.map((issue) => {
      const message = issue.code === 'invalid_type' && issue.input === undefined ? `missing (${issue.message.replace(/^Invalid input: /, '')})` : issue.message;
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${keyPath([...issue.path, k])}: unknown key`).join('\n  ');
      return `${keyPath(issue.path)}: ${message}`;
    }),
  );
}

/** Reads a Pulumi config value: objects are stored as JSON text, plain values as text. */
export function decodeConfigValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
