// `bascule rollout|promote|rollback|resume`: the admin API's actions, each with its reason. A gated action the
// gateway refuses (409) prints what blocks it and exits 5; `--override <reason>` goes ahead anyway, recorded.
import type { ComponentSummary } from '@bascule/contracts';
import type { AdminClient } from '../admin-client.ts';
import { CliError, EXIT, type ExitCode } from '../exit-codes.ts';
import type { Output } from '../output.ts';

export type Action = 'promote' | 'rollback' | 'resume';

export interface ActionOptions {
  reason: string;
  override?: string;
}

function body(o: ActionOptions, extra: Record<string, unknown> = {}) {
  return { ...extra, reason: o.reason, ...(o.override !== undefined ? { override: { reason: o.override } } : {}) };
}

export function parseWeight(value: string): number {
  const weight = Number(value.replace(/%$/, ''));
  if (value.trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100) throw new CliError(EXIT.USAGE, `--to: expected a weight between 0 and 100, got "${value}"`);
  return weight;
}

export async function rollout(client: AdminClient, out: Output, component: string, weight: number, o: ActionOptions): Promise<ExitCode> {
  return run(out, `rollout ${component} to ${weight} %`, () => client.put<ComponentSummary>(`/components/${encodeURIComponent(component)}/weight`, body(o, { weight })));
}

export async function act(client: AdminClient, out: Output, action: Action, component: string, o: ActionOptions): Promise<ExitCode> {
  return run(out, `${action} ${component}`, () => client.post<ComponentSummary>(`/components/${encodeURIComponent(component)}/${action}`, body(o)));
}

async function run(out: Output, what: string, call: () => Promise<ComponentSummary>): Promise<ExitCode> {
  try {
    const after = await call();
    if (out.json) out.data(after);
    else out.line(`${out.paint('done', 'good')}: ${what} — ${after.component} is ${after.status} at ${after.weight} %${after.step === null ? '' : ` (step ${after.step + 1}/${after.plan.steps.length})`}`);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CliError && error.code === EXIT.BLOCKED) throw blocked(what, error);
    throw error;
  }
}

/** The gateway's 409, its blockers listed one a line, and how to go ahead anyway. */
function blocked(what: string, error: CliError): CliError {
  const blockers = (error.body as { error?: { blockers?: Array<{ code: string; message: string }> } } | undefined)?.error?.blockers ?? [];
  const lines = blockers.length > 0 ? blockers.map((b) => `  - ${b.message} [${b.code}]`).join('\n') : `  - ${error.message}`;
  return new CliError(EXIT.BLOCKED, `${what} is blocked:\n${lines}`, 'wait for GO (bascule criteria <component>), or go ahead anyway with --override "<why>" (recorded in the audit log)', error.body);
}
