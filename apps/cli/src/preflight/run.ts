// Runs the checklist in order: SSH first (the host's checks need it), then the host's checks, the
// services of the phase, and the network ones. Each check has its own timeout; one failing never stops the rest.
import {
  backupCheck,
  dnsCheck,
  gatewaysCheck,
  gpuMemoryCheck,
  latencyCheck,
  nvidiaSmiCheck,
  serviceCheck,
  sshCheck,
  tlsCheck,
  type Check,
  type CheckResult,
  type Facts,
  type PreflightContext,
} from './checks.ts';

export function checklist(ctx: PreflightContext): Check[] {
  return [sshCheck, nvidiaSmiCheck, gpuMemoryCheck, ...ctx.services.map(serviceCheck), dnsCheck, tlsCheck, ...(ctx.phase === 'foundation' ? [] : [latencyCheck]), backupCheck, gatewaysCheck];
}

export async function runPreflight(ctx: PreflightContext, onResult?: (r: CheckResult) => void): Promise<CheckResult[]> {
  const facts: Facts = {};
  const results: CheckResult[] = [];
  let sshOk = ctx.ssh !== null;
  for (const check of checklist(ctx)) {
    const started = performance.now();
    let outcome;
    if (check.needsSsh && ctx.ssh === null) outcome = { status: 'SKIP' as const, figure: 'no host address', fix: 'give --host <address> (or bascule:host.address in the stack)' };
    else if (check.needsSsh && !sshOk && check !== sshCheck) outcome = { status: 'SKIP' as const, figure: 'SSH failed', fix: 'fix the ssh check first' };
    else {
      try {
        outcome = await check.run(ctx, facts);
      } catch (error) {
        outcome = { status: 'FAIL' as const, figure: (error as Error).message, fix: 'an unexpected error: run again with --json and report it' };
      }
    }
    if (check === sshCheck && outcome.status !== 'PASS') sshOk = false;
    const result = { id: check.id, title: check.title, ...outcome, ms: Math.round(performance.now() - started) };
    results.push(result);
    onResult?.(result);
  }
  return results;
}
