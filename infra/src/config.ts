// One typed, validated view of the stack's config (`bascule:*`). Every error names the key and what was
// expected. Secrets are never read here as plain values: they come as Pulumi secret outputs (secrets.ts).
import { z } from 'zod';
import { CorsConfigSchema } from '@bascule/contracts';
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

const HostSchema = z
  .strictObject({
    provider: z.enum(['contabo', 'existing'], { error: 'expected "contabo" (adopt a Contabo instance by id) or "existing" (any host by address)' }),
    /** Public IPv4 address; read from Contabo's API when provider is contabo and this is left out. */
    address: z.ipv4({ error: 'expected the IPv4 address of the host, e.g. "203.0.113.10"' }).optional(),
    sshUser: z.string().min(1).default('root'),
    sshPort: z.number().int().min(1).max(65535).default(22),
    /** The SSH host key line (`ssh-keyscan`), pinned so the first connection cannot be intercepted. */
    sshHostKey: z.string().min(1).optional(),
    contabo: ContaboSchema.optional(),
    gpu: z.strictObject({
      model: z.string().min(1),
      vramMb: z.number({ error: 'expected the VRAM of the card in MB, e.g. 20480' }).int().positive(),
    }),
  })
  .superRefine((host, ctx) => {
    if (host.provider === 'contabo' && !host.contabo) {
      ctx.addIssue({ code: 'custom', path: ['contabo'], message: 'missing (expected { instanceId, clientId } when provider is "contabo")' });
    }
    if (host.provider === 'existing' && !host.address) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'missing (expected the IPv4 address when provider is "existing")' });
    }
  });

const DnsSchema = z.strictObject({
  /** The Cloudflare zone, e.g. "example.org". */
  zone: z.string().regex(HOSTNAME, 'expected a domain name such as "example.org"'),
  gateway: label().default('api'),
  dashboard: label().default('dashboard'),
});

const CloudflareSchema = z.strictObject({
  accountId: z.string().regex(/^[0-9a-f]{32}$/, 'expected the 32-hex-digit Cloudflare account id'),
  /** Who may open the dashboard (Cloudflare Access, one-time PIN or the account's identity provider). */
  accessEmails: z.array(z.email({ error: 'expected an e-mail address' })).default([]),
  accessEmailDomain: z.string().regex(HOSTNAME, 'expected a domain name such as "example.org"').optional(),
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
  /** Gateways behind the load balancer: each enforces 1/replicas of every limit above. */
  replicas: z.number().int().positive().default(1),
  webhookUrl: z.url().optional(),
  vpsMonthlyCostEur: z.number().min(0),
  vpsOneTimeCostEur: z.number().min(0).default(0),
  /** Requests a month the self-hosted models will serve; each is charged its share of vpsMonthlyCostEur. */
  expectedMonthlyRequests: z.number().int().positive().optional(),
  /** Origins of the reading app's pages allowed to call the public API from the browser (CORS). */
  allowedOrigins: CorsConfigSchema.shape.allowedOrigins,
  /** The MVP's EasyOCR service (vision). Required from the vision phase on. */
  easyocrUrl: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the EasyOCR service' }).optional(),
});

export const StackConfigSchema = z
  .strictObject({
    phase: z.enum(PHASES, { error: `expected one of ${PHASES.join(', ')}` }),
    host: HostSchema,
    dns: DnsSchema,
    cloudflare: CloudflareSchema,
    admin: AdminSchema,
    llm: LlmSchema.prefault({}),
    gateway: GatewaySchema,
  })
  .superRefine((config, ctx) => {
    const { accessEmails, accessEmailDomain } = config.cloudflare;
    if (config.phase === 'vision' && config.gateway.easyocrUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['gateway', 'easyocrUrl'], message: 'missing (expected the URL of the EasyOCR service, the MVP provider of vision)' });
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
