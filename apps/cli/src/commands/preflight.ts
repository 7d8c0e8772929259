// `bascule preflight --stack staging --phase stt`: the plan's pre-migration checklist against the stack's hosts.
// Exit 0 when nothing fails (SKIPs are listed with what would let them run), 1 when a check fails.
import { readFileSync } from 'node:fs';
import { CliError, EXIT, type ExitCode } from '../exit-codes.ts';
import type { Output } from '../output.ts';
import type { CheckResult, PreflightContext } from '../preflight/checks.ts';
import { runPreflight } from '../preflight/run.ts';
import { servicesThrough } from '../preflight/services.ts';
import { Ssh } from '../preflight/ssh.ts';
import { PHASES, readStack, type Phase } from '../preflight/stack.ts';

export interface PreflightOptions {
  stack: string;
  phase?: string;
  stackFile?: string;
  host?: string;
  identity?: string;
  ssh?: string;
  ca?: string[];
  connect?: string;
  url?: string;
  checkTimeout: string;
  maxLatency: string;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(EXIT.USAGE, `${flag}: expected a positive number, got "${value}"`);
  return n;
}

function hostPort(value: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  if (!m) throw new CliError(EXIT.USAGE, `--connect: expected host:port (e.g. 203.0.113.10:443), got "${value}"`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

export async function preflight(out: Output, o: PreflightOptions, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ExitCode> {
  const stack = readStack(o.stack, { ...(o.stackFile ? { file: o.stackFile } : {}), cwd });
  if (o.phase !== undefined && !(PHASES as readonly string[]).includes(o.phase)) throw new CliError(EXIT.USAGE, `--phase: expected one of ${PHASES.join(', ')}, got "${o.phase}"`);
  const phase = (o.phase ?? stack.phase) as Phase;
  const address = o.host ?? stack.host.address;
  const ssh = address ? new Ssh({ address, port: stack.host.sshPort, user: stack.host.sshUser, ...(o.identity ? { identity: o.identity } : {}), ...(stack.host.sshHostKey ? { hostKey: stack.host.sshHostKey } : {}), ...(o.ssh ? { command: o.ssh } : {}) }) : null;
  const adminUrl = o.url ?? env.BASCULE_ADMIN_URL;
  const ca = (o.ca ?? []).map((file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new CliError(EXIT.USAGE, `--ca: cannot read ${file}`);
    }
  });
  const ctx: PreflightContext = {
    stack,
    phase,
    services: servicesThrough(stack, phase),
    ssh,
    timeoutMs: positive(o.checkTimeout, '--check-timeout'),
    ca,
    ...(o.connect ? { connectTo: hostPort(o.connect) } : {}),
    gatewayUrls: adminUrl ? [adminUrl] : stack.dns ? [`https://${stack.dns.gateway}`] : [],
    maxLatencyMs: positive(o.maxLatency, '--max-latency'),
    now: () => Date.now(),
  };
  if (!out.json) out.line(`preflight of ${out.paint(stack.name, 'bold')} for the ${out.paint(phase, 'bold')} phase (${stack.file})`);
  try {
    const results = await runPreflight(ctx, out.json ? undefined : (r) => printResult(out, r));
    const failed = results.filter((r) => r.status === 'FAIL').length;
    if (out.json) out.data({ stack: stack.name, phase, ok: failed === 0, checks: results });
    else out.line(`\n${failed === 0 ? out.paint('ready', 'good') : out.paint(`${failed} check${failed > 1 ? 's' : ''} failed`, 'bad')}: ${results.filter((r) => r.status === 'PASS').length} passed, ${failed} failed, ${results.filter((r) => r.status === 'SKIP').length} skipped`);
    return failed === 0 ? EXIT.OK : EXIT.FAILED;
  } finally {
    ssh?.close();
  }
}

function printResult(out: Output, r: CheckResult): void {
  const tone = r.status === 'PASS' ? 'good' : r.status === 'FAIL' ? 'bad' : 'warn';
  out.line(`${out.paint(r.status.padEnd(4), tone)}  ${r.title}: ${r.figure}`);
  if (r.fix && r.status !== 'PASS') out.line(`      ${out.paint('→', tone)} ${r.fix}`);
}
