// The plan's pre-migration checklist, one function per check: each returns PASS, FAIL or SKIP with its
// figure and, when it fails, what to do. Checks on the GPU host run over SSH and are skipped when SSH fails.
import { lookup as dnsLookup } from 'node:dns/promises';
import { connect } from 'node:net';
import { request } from 'undici';
import type { Ssh } from './ssh.ts';
import type { ModelService } from './services.ts';
import type { Phase, StackInfo } from './stack.ts';
import { probeTls } from './tls.ts';

export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was measured: "NVIDIA RTX 4000 SFF Ada, driver 550.54", "median 12 ms", "valid 89 days". */
  figure: string;
  /** On FAIL (or SKIP): what to do. */
  fix?: string;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  ms: number;
}

export interface PreflightContext {
  stack: StackInfo;
  phase: Phase;
  services: readonly ModelService[];
  /** null when the stack gives no address and --host is not set. */
  ssh: Ssh | null;
  timeoutMs: number;
  /** The names to resolve and the TLS endpoint (--connect overrides where to connect, not the name). */
  lookup?: (host: string) => Promise<string[]>;
  ca?: readonly string[];
  connectTo?: { host: string; port: number };
  /** Where the gateways' /readyz is asked (the admin URL, or https://<gateway name>). */
  gatewayUrls: readonly string[];
  /** Latency budget from the gateways to the GPU host (the plan: 50 ms). */
  maxLatencyMs: number;
  now: () => number;
}

export interface Check {
  id: string;
  title: string;
  /** Runs on the GPU host: skipped when SSH is not possible. */
  needsSsh: boolean;
  run(ctx: PreflightContext, facts: Facts): Promise<CheckOutcome>;
}

/** What earlier checks learnt, for later ones. */
export interface Facts {
  gpu?: { name: string; driver: string; totalMb: number; usedMb: number };
}

const pass = (figure: string): CheckOutcome => ({ status: 'PASS', figure });
const fail = (figure: string, fix: string): CheckOutcome => ({ status: 'FAIL', figure, fix });
const skip = (figure: string, fix?: string): CheckOutcome => ({ status: 'SKIP', figure, ...(fix ? { fix } : {}) });
const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GiB`;

export const sshCheck: Check = {
  id: 'ssh',
  title: 'GPU host reachable over SSH',
  needsSsh: true,
  async run(ctx) {
    const ssh = ctx.ssh!;
    const r = await ssh.run('true', ctx.timeoutMs);
    const t = ssh.target;
    if (r.code === 0) return pass(`${t.user}@${t.address}:${t.port} in ${Math.round(r.ms)} ms${ssh.pinned ? ', host key pinned' : ', host key NOT pinned (set bascule:host.sshHostKey)'}`);
    return fail(r.stderr.split('\n').at(-1) || `ssh exited ${r.code}`, `check the address and port, that this machine's address is in bascule:admin.sshCidrs (the host's firewall), and the key (--identity, or ssh-agent); the pinned host key must match \`ssh-keyscan -t ed25519 -p ${t.port} ${t.address}\``);
  },
};

export const nvidiaSmiCheck: Check = {
  id: 'nvidia-smi',
  title: 'NVIDIA driver answers (nvidia-smi)',
  needsSsh: true,
  async run(ctx, facts) {
    const r = await ctx.ssh!.run('nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv,noheader,nounits', ctx.timeoutMs);
    const fields = r.stdout.trim().split('\n')[0]?.split(',').map((s) => s.trim()) ?? [];
    if (r.code !== 0 || fields.length < 4 || !Number.isFinite(Number(fields[2]))) {
      return fail(r.stderr || `nvidia-smi exited ${r.code}`, 'the bootstrap installs the driver (pulumi up); on the host: `nvidia-smi`, `dmesg | grep -i nvidia`; after a kernel update, reboot so the driver module loads');
    }
    facts.gpu = { name: fields[0]!, driver: fields[1]!, totalMb: Number(fields[2]), usedMb: Number(fields[3]) };
    return pass(`${fields[0]}, driver ${fields[1]}`);
  },
};

export const gpuMemoryCheck: Check = {
  id: 'gpu-memory',
  title: "GPU memory fits the phase's models",
  needsSsh: true,
  async run(ctx, facts) {
    if (!facts.gpu) return skip('no reading from nvidia-smi', 'fix the nvidia-smi check first');
    const need = ctx.services.reduce((n, s) => n + s.vramMb, 0);
    const names = ctx.services.map((s) => s.image).join(' + ') || 'no model yet';
    const { totalMb, usedMb } = facts.gpu;
    const figure = `${gb(totalMb)} on the card, ${gb(usedMb)} in use, ${gb(need)} needed (${names})`;
    if (need > totalMb) return fail(figure, 'the models do not fit: a larger GPU (bascule:host.gpu), llm on Groq (bascule:llm.selfHosted: false) or a smaller llm context');
    const declared = ctx.stack.host.vramMb;
    if (declared !== undefined && totalMb < declared * 0.95) return fail(`${figure}; the stack declares ${gb(declared)}`, 'bascule:host.gpu.vramMb does not match the card: correct it, or the GPU budget of `pulumi preview` is wrong');
    return pass(figure);
  },
};

export function serviceCheck(service: ModelService): Check {
  return {
    id: `health:${service.image}`,
    title: `${service.image} answers /health (${service.phase})`,
    needsSsh: true,
    async run(ctx) {
      const url = `http://127.0.0.1:${service.port}${service.healthPath}`;
      const seconds = Math.max(1, Math.floor(ctx.timeoutMs / 1000) - 1);
      const r = await ctx.ssh!.run(`curl -sS -o /dev/null -m ${seconds} -w '%{http_code} %{time_total}' ${url}`, ctx.timeoutMs);
      const [code, time] = r.stdout.trim().split(' ');
      if (r.code === 0 && code === '200') return pass(`200 in ${Math.round(Number(time) * 1000)} ms`);
      return fail(code && code !== '000' ? `HTTP ${code} from ${url}` : r.stderr || `no answer from ${url}`, `on the host: \`systemctl status ${service.image}\` and \`journalctl -u ${service.image} -n 50\`; /health answers 200 only once the model is loaded (the first start downloads the weights, up to 15 min)`);
    },
  };
}

export const dnsCheck: Check = {
  id: 'dns',
  title: 'DNS names resolve',
  needsSsh: false,
  async run(ctx) {
    const names = ctx.stack.dns ? [ctx.stack.dns.gateway, ...(ctx.stack.dns.admin ? [ctx.stack.dns.admin] : [])] : [];
    if (names.length === 0) return skip('no bascule:dns in the stack', 'set bascule:dns (zone, gateway, dashboard)');
    const lookup = ctx.lookup ?? ((h: string) => dnsLookup(h, { all: true }).then((a) => a.map((x) => x.address)));
    const found: string[] = [];
    for (const name of names) {
      try {
        const addresses = await withTimeout(lookup(name), ctx.timeoutMs, `no DNS answer within ${ctx.timeoutMs} ms`);
        found.push(`${name} → ${addresses.join(', ')}`);
      } catch (error) {
        return fail(`${name}: ${(error as Error).message}`, `the edge creates the records on \`pulumi up\` (Cloudflare, proxied); check the zone ${name.split('.').slice(1).join('.')} in Cloudflare and \`dig ${name}\``);
      }
    }
    return pass(found.join('; '));
  },
};

export const tlsCheck: Check = {
  id: 'tls',
  title: 'TLS certificate valid',
  needsSsh: false,
  async run(ctx) {
    const name = ctx.stack.dns?.gateway;
    if (!name) return skip('no bascule:dns in the stack');
    const target = ctx.connectTo ?? { host: name, port: 443 };
    const probe = await probeTls({ host: target.host, port: target.port, servername: name, ca: ctx.ca, timeoutMs: ctx.timeoutMs });
    const days = probe.validTo ? Math.floor((probe.validTo.getTime() - ctx.now()) / 86_400_000) : null;
    const figure = `${name}${ctx.connectTo ? ` via ${target.host}:${target.port}` : ''}: ${probe.authorized ? 'trusted' : `not trusted (${probe.error ?? 'unknown'})`}${days !== null ? `, ${days} days left` : ''}${probe.issuer ? `, issuer ${probe.issuer}` : ''}`;
    if (!probe.authorized) return fail(figure, 'the edge serves Cloudflare\'s certificate and the origin an Origin CA one (pulumi up creates both); check SSL mode "strict" in Cloudflare, and that the name is proxied');
    if (days !== null && days < 14) return fail(figure, 'renew the certificate before the migration (the Origin CA certificate is renewed by `pulumi up`)');
    return pass(figure);
  },
};

export const latencyCheck: Check = {
  id: 'latency',
  title: 'Latency to the GPU host',
  needsSsh: false,
  async run(ctx) {
    const t = ctx.ssh?.target;
    if (!t) return skip('no host address', 'give --host or bascule:host.address');
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        samples.push(await connectTime(t.address, t.port, ctx.timeoutMs));
      } catch (error) {
        return fail(`${t.address}:${t.port}: ${(error as Error).message}`, 'the host does not accept connections: check its firewall and that it is running');
      }
    }
    samples.sort((a, b) => a - b);
    const median = samples[2]!;
    const figure = `median TCP connect ${median.toFixed(1)} ms over 5 (from this machine: run preflight on a gateway host for the gateways' path)`;
    if (median >= ctx.maxLatencyMs) return fail(figure, `over ${ctx.maxLatencyMs} ms: the gateways should sit in the GPU host's region (Contabo's data centre), or every request pays it twice`);
    return pass(figure);
  },
};

export const backupCheck: Check = {
  id: 'backup',
  title: 'A recent backup exists',
  needsSsh: true,
  async run(ctx) {
    const { path, maxAgeHours } = ctx.stack.backup;
    const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
    const r = await ctx.ssh!.run(`find ${quoted} -type f -printf '%T@ %p\\n' 2>/dev/null | sort -n | tail -1`, ctx.timeoutMs);
    const [epoch, file] = r.stdout.trim().split(/ (.*)/s);
    if (!epoch || !file) return fail(`no file under ${path}`, `take a backup before migrating (docs/runbooks/00-first-time-setup.md), into ${path}, or set bascule:backup.path`);
    const hours = (ctx.now() / 1000 - Number(epoch)) / 3600;
    const figure = `${file}, ${hours.toFixed(1)} h old`;
    if (hours > maxAgeHours) return fail(figure, `older than ${maxAgeHours} h: run the backup now and check its timer (systemctl list-timers)`);
    return pass(figure);
  },
};

export const gatewaysCheck: Check = {
  id: 'gateways',
  title: 'Gateways ready (/readyz)',
  needsSsh: false,
  async run(ctx) {
    if (ctx.gatewayUrls.length === 0) return skip('no gateway URL', 'give --url (or BASCULE_ADMIN_URL), or set bascule:dns');
    const lines: string[] = [];
    let ok = true;
    for (const base of ctx.gatewayUrls) {
      const url = `${base.replace(/\/+$/, '')}/readyz`;
      try {
        const res = await request(url, { signal: AbortSignal.timeout(ctx.timeoutMs), headersTimeout: ctx.timeoutMs, bodyTimeout: ctx.timeoutMs });
        const body = (await res.body.json().catch(() => ({}))) as { status?: string };
        lines.push(`${url}: ${res.statusCode}${body.status ? ` ${body.status}` : ''}`);
        if (res.statusCode !== 200) ok = false;
      } catch (error) {
        ok = false;
        lines.push(`${url}: ${(error as Error).name === 'TimeoutError' ? `no answer within ${ctx.timeoutMs} ms` : (error as Error).message}`);
      }
    }
    return ok ? pass(lines.join('; ')) : fail(lines.join('; '), 'on each gateway host: `systemctl status bascule-gateway`, `journalctl -u bascule-gateway -n 50`; /readyz is 503 while its store is closed');
  },
};

function connectTime(host: string, port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      const ms = performance.now() - started;
      socket.destroy();
      resolve(ms);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no connection within ${timeoutMs} ms`));
    });
    socket.once('error', (error) => reject(error));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
