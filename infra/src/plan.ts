// What `pulumi up` at a phase would add, compared with the previous phase, without the Pulumi CLI and
// without a cloud (the program run with Pulumi's mocks). The stack's non-secret config is read from
// Pulumi.<stack>.yaml; secrets are replaced by placeholders (the plan never needs them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PHASE_SUMMARY, previousPhase, type Phase } from './phases.ts';
import { runWithMocks, type MockedResource } from './mocks/run.ts';
import { requiredSecretKeys } from './secrets.ts';
import { parseStackConfig, type StackConfig } from './config.ts';
import { REPO_ROOT } from './remote.ts';

export function readStackFile(stack: string): Record<string, unknown> {
  const file = join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | null;
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    // Encrypted values ({ secure: ... }) are replaced: the plan never needs the real secret.
    config[key] = value !== null && typeof value === 'object' && 'secure' in value ? 'plan-placeholder' : value;
  }
  return config;
}

function withSecrets(config: Record<string, unknown>, phase: Phase): { values: Record<string, unknown>; secretKeys: string[] } {
  const values: Record<string, unknown> = { ...config, 'bascule:phase': phase };
  const typed: StackConfig = parseStackConfig((key) => values[`bascule:${key}`]);
  const secretKeys = requiredSecretKeys(typed).map((k) => `bascule:${k}`);
  for (const key of secretKeys) values[key] ??= 'plan-placeholder';
  return { values, secretKeys };
}

const key = (r: MockedResource) => `${r.type}::${r.name}`;

export async function plan(stack: string, phase: Phase): Promise<string> {
  const config = readStackFile(stack);
  const current = withSecrets(config, phase);
  const after = await runWithMocks(current.values, current.secretKeys, stack);
  const before = previousPhase(phase);
  const budgets = Object.entries(after.outputs.gpuBudgets as Record<string, { cardMb: number; usableMb: number; neededMb: number; models: string[] }>);
  const lines = [
    `stack ${stack}, phase ${phase}: ${PHASE_SUMMARY[phase]}`,
    // One line per GPU host; the host is named once there are several.
    ...budgets.map(
      ([host, budget]) =>
        `GPU memory${budgets.length > 1 ? ` (${host})` : ''}: ${budget.neededMb} MB needed of ${budget.usableMb} MB usable (${budget.cardMb} MB card)${budget.models.length ? `: ${budget.models.join('; ')}` : ''}`,
    ),
  ];
  if (!before) {
    lines.push(`+ ${after.resources.length} resources (the first phase):`, ...after.resources.map((r) => `  + ${r.type}  ${r.name}`));
    return lines.join('\n');
  }
  const previous = withSecrets(config, before);
  const earlier = await runWithMocks(previous.values, previous.secretKeys, stack);
  const earlierKeys = new Set(earlier.resources.map(key));
  const afterKeys = new Set(after.resources.map(key));
  const added = after.resources.filter((r) => !earlierKeys.has(key(r)));
  const removed = earlier.resources.filter((r) => !afterKeys.has(key(r)));
  const changed = after.resources.filter((r) => {
    const old = earlier.resources.find((e) => key(e) === key(r));
    return old !== undefined && JSON.stringify(old.inputs) !== JSON.stringify(r.inputs);
  });
  lines.push(`compared with phase ${before}:`);
  lines.push(`+ ${added.length} added`, ...added.map((r) => `  + ${r.type}  ${r.name}`));
  lines.push(`~ ${changed.length} updated in place`, ...changed.map((r) => `  ~ ${r.type}  ${r.name}`));
  lines.push(`- ${removed.length} removed`, ...removed.map((r) => `  - ${r.type}  ${r.name}`));
  return lines.join('\n');
}
