// `nx run infra:plan -- --stack staging --phase stt` (or `npm run plan -w infra -- --stack staging --phase stt`):
// prints the resources a phase adds compared with the previous one, from Pulumi.<stack>.yaml, with mocks.
import { parseArgs } from 'node:util';
import { PHASES, type Phase } from '../phases.ts';
import { plan } from '../plan.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stack: { type: 'string', default: 'staging' }, phase: { type: 'string' } }, allowPositionals: true });
  const phase = values.phase as Phase | undefined;
  if (!phase || !PHASES.includes(phase)) {
    console.error(`usage: nx run infra:plan -- --stack <staging|production> --phase <${PHASES.join('|')}>`);
    process.exitCode = 2;
    return;
  }
  console.log(await plan(values.stack ?? 'staging', phase));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
