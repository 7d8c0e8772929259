// What preflight needs from a Pulumi stack file (Pulumi.<stack>.yaml), read as YAML without the Pulumi CLI:
// the phase, the (first) GPU host (address, SSH user and port, pinned host key, GPU), the DNS names, whether llm is
// self-hosted, and where backups are. Secrets (`secure:` values) are never read.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CliError, EXIT } from '../exit-codes.ts';

export const PHASES = ['foundation', 'llm', 'stt', 'tts', 'vision'] as const;
export type Phase = (typeof PHASES)[number];

const GpuHostSchema = z.object({
  address: z.string().optional(),
  sshUser: z.string().default('root'),
  sshPort: z.number().int().default(22),
  sshHostKey: z.string().optional(),
  gpu: z.object({ model: z.string().optional(), vramMb: z.number().optional() }).partial().default({}),
});

const StackSchema = z.object({
  'bascule:phase': z.enum(PHASES).default('foundation'),
  'bascule:host': GpuHostSchema.default({ sshUser: 'root', sshPort: 22, gpu: {} }),
  // Several GPU hosts (infra/README.md): preflight checks the first; `--host` reaches another.
  'bascule:gpuHosts': z.array(GpuHostSchema).min(1).optional(),
  // `admin` (the Access host name of the admin API and the dashboard) or, in older stacks, `dashboard`.
  'bascule:dns': z.object({ zone: z.string(), gateway: z.string(), dashboard: z.string().optional(), admin: z.string().optional() }).optional(),
  'bascule:llm': z.object({ selfHosted: z.boolean().default(false) }).partial().default({}),
  'bascule:backup': z.object({ path: z.string().default('/var/backups/bascule'), maxAgeHours: z.number().positive().default(26) }).partial().default({}),
});

export interface StackInfo {
  name: string;
  file: string;
  /** The folder of Pulumi.yaml: the repository, where the model images' manifests are. */
  root: string;
  phase: Phase;
  host: { address?: string; sshUser: string; sshPort: number; sshHostKey?: string; gpuModel?: string; vramMb?: number };
  /** Host names: the public API's, and the admin API's / dashboard's when the stack names one. */
  dns?: { gateway: string; admin?: string };
  llmSelfHosted: boolean;
  backup: { path: string; maxAgeHours: number };
}

/** The folder holding Pulumi.yaml, from `from` upwards. */
export function findProjectRoot(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'Pulumi.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function readStack(name: string, o: { file?: string; cwd: string }): StackInfo {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new CliError(EXIT.USAGE, `--stack: expected a stack name such as "staging", got "${name}"`);
  const root = o.file ? dirname(resolve(o.cwd, o.file)) : findProjectRoot(o.cwd);
  if (!root) throw new CliError(EXIT.USAGE, `no Pulumi.yaml in ${o.cwd} or above: run from the repository, or give --stack-file`);
  const file = o.file ? resolve(o.cwd, o.file) : join(root, `Pulumi.${name}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(EXIT.USAGE, `cannot read the stack file ${file}`, `create it with \`pulumi stack init ${name}\` (see docs/runbooks/00-first-time-setup.md)`);
  }
  const parsed = StackSchema.safeParse((parse(text) as { config?: unknown } | null)?.config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(EXIT.USAGE, `${file}: config.${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  const h = c['bascule:gpuHosts']?.[0] ?? c['bascule:host'];
  const dns = c['bascule:dns'];
  return {
    name,
    file,
    root,
    phase: c['bascule:phase'],
    host: { address: h.address, sshUser: h.sshUser, sshPort: h.sshPort, sshHostKey: h.sshHostKey, gpuModel: h.gpu.model, vramMb: h.gpu.vramMb },
    ...(dns ? { dns: { gateway: `${dns.gateway}.${dns.zone}`, ...((dns.admin ?? dns.dashboard) ? { admin: `${dns.admin ?? dns.dashboard}.${dns.zone}` } : {}) } } : {}),
    llmSelfHosted: c['bascule:llm'].selfHosted ?? false,
    backup: { path: c['bascule:backup'].path ?? '/var/backups/bascule', maxAgeHours: c['bascule:backup'].maxAgeHours ?? 26 },
  };
}
