// The `bascule` command line: one commander program, each command a thin call into commands/.
import { Command, CommanderError, Option } from 'commander';
import { COMPONENTS } from '@bascule/routing';
import { act, parseWeight, rollout } from './commands/actions.ts';
import { criteria } from './commands/criteria.ts';
import { events } from './commands/events.ts';
import { notifyTest } from './commands/notify.ts';
import { preflight, type PreflightOptions } from './commands/preflight.ts';
import { parseMonth, report } from './commands/report.ts';
import { status } from './commands/status.ts';
import { CliError, EXIT, type ExitCode } from './exit-codes.ts';
import { createOutput, type Streams } from './output.ts';
import packageJson from '../package.json' with { type: 'json' };
import { adminClient, DEFAULT_TIMEOUT_MS, type GlobalOptions } from './target.ts';

export interface Runtime extends Streams {
  cwd: string;
  now: () => Date;
  /** Ends `events --follow` (Ctrl-C). */
  signal?: AbortSignal;
}

const VERSION = packageJson.version;

const EXIT_HELP = `
Exit codes:
  0  done; every check passed; GO
  1  a preflight check failed; NO-GO or HOLD; a notification channel failed
  2  bad usage (unknown option, bad value)
  3  the gateway could not be reached or answered with a server error
  4  no admin token, or the token was refused
  5  the action is blocked (what blocks it is printed; --override "<why>" goes ahead)
  6  the gateway refused the request (the message names the field)

Environment: BASCULE_ADMIN_URL, BASCULE_ADMIN_TOKEN (never printed), NO_COLOR, FORCE_COLOR.`;

function component(value: string): string {
  if (!(COMPONENTS as readonly string[]).includes(value)) throw new CliError(EXIT.USAGE, `unknown component "${value}": expected one of ${COMPONENTS.join(', ')}`);
  return value;
}

export function buildProgram(rt: Runtime, done: (code: ExitCode) => void): Command {
  const program = new Command('bascule');
  program
    .description("Operate a Bascule migration: check the hosts before a phase, watch and steer each component's rollout, report the month's costs.")
    .option('--url <url>', 'the gateway (admin API at <url>/admin/v1); default $BASCULE_ADMIN_URL')
    .addOption(new Option('--token <token>', 'admin token; prefer $BASCULE_ADMIN_TOKEN (a flag stays in shell history)').hideHelp(false))
    .option('--timeout <ms>', 'timeout of each call to the gateway', String(DEFAULT_TIMEOUT_MS))
    .option('--json', 'print one JSON document instead of text (NDJSON for events --follow)')
    .version(VERSION, '-V, --version')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(bascule --help lists the commands)')
    .configureOutput({ writeOut: (s) => void rt.stdout.write(s), writeErr: (s) => void rt.stderr.write(s) })
    .exitOverride();

  const g = (): GlobalOptions => program.opts<GlobalOptions>();
  const out = () => createOutput(rt, g().json === true);
  const client = () => adminClient(g(), rt.env);
  const action =
    <A extends unknown[]>(fn: (...args: A) => Promise<ExitCode>) =>
    async (...args: A) =>
      done(await fn(...args));

  program
    .command('preflight')
    .description("the plan's pre-migration checklist against a stack's hosts: SSH, nvidia-smi, GPU memory, each model service's /health, DNS, TLS, latency, a recent backup, the gateways ready")
    .requiredOption('--stack <name>', 'the Pulumi stack (reads Pulumi.<name>.yaml, without the Pulumi CLI)')
    .option('--phase <phase>', 'the phase about to start (foundation, llm, stt, tts, vision); default the stack\'s bascule:phase')
    .option('--stack-file <file>', 'the stack file, when not Pulumi.<stack>.yaml beside Pulumi.yaml')
    .option('--host <address>', 'the GPU host, when the stack does not give it (Contabo: `pulumi stack output hostAddress`)')
    .option('--identity <file>', 'SSH private key (default: ssh-agent and ssh\'s defaults)')
    .option('--ssh <command>', 'the ssh client to use', 'ssh')
    .option('--ca <file...>', 'extra trusted CA certificates (PEM) for the TLS check')
    .option('--connect <host:port>', 'connect the TLS check there, keeping the gateway\'s name (an origin behind the edge)')
    .option('--check-timeout <ms>', 'timeout of each check', '10000')
    .option('--max-latency <ms>', 'latency budget to the GPU host', '50')
    .action(action(async (o: PreflightOptions) => preflight(out(), { ...o, ...(g().url ? { url: g().url } : {}) }, rt.env, rt.cwd)));

  program
    .command('status')
    .description('each component: status, weight, step, health, p95, error rate, breakers, open alerts')
    .argument('[component]', 'one component only')
    .action(action(async (c?: string) => status(client(), out(), c === undefined ? undefined : component(c))));

  const reason = (cmd: Command) => cmd.requiredOption('--reason <text>', 'why (recorded in the audit log)').option('--override <reason>', 'go ahead although the gates block it (recorded with its own reason)');
  reason(
    program
      .command('rollout')
      .description("set a component's weight (the share of students on the production provider)")
      .argument('<component>', COMPONENTS.join(' | '))
      .requiredOption('--to <weight>', 'weight 0..100'),
  ).action(action(async (c: string, o: { to: string; reason: string; override?: string }) => rollout(client(), out(), component(c), parseWeight(o.to), o)));
  for (const [name, what] of [
    ['promote', 'move to the next step of the plan (needs GO, or --override)'],
    ['rollback', 'send every student back to the MVP provider now'],
    ['resume', 'leave a rollback: restart the plan at its first step with a fresh analysis'],
  ] as const) {
    reason(program.command(name).description(what).argument('<component>', COMPONENTS.join(' | '))).action(action(async (c: string, o: { reason: string; override?: string }) => act(client(), out(), name, component(c), o)));
  }

  program
    .command('events')
    .description('the audit log, newest first; --follow streams events and alerts as they happen')
    .option('--component <component>', 'one component only')
    .option('--limit <n>', 'how many (without --follow)', '50')
    .option('-f, --follow', 'stream (server-sent events) until Ctrl-C')
    .option('--all', 'with --follow: state and metrics snapshots too')
    .option('--max <n>', 'with --follow: stop after n events')
    .action(
      action(async (o: { component?: string; limit: string; follow?: boolean; all?: boolean; max?: string }) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(EXIT.USAGE, `--limit: expected a whole number between 1 and 1000, got "${o.limit}"`);
        const max = o.max === undefined ? undefined : Number(o.max);
        if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new CliError(EXIT.USAGE, `--max: expected a whole number >= 1, got "${o.max}"`);
        return events(client(), out(), { ...(o.component ? { component: component(o.component) } : {}), limit, follow: o.follow, all: o.all, ...(max ? { max } : {}), ...(rt.signal ? { signal: rt.signal } : {}) });
      }),
    );

  program
    .command('criteria')
    .description("a component's GO/NO-GO criteria for the current step (exit 0 on GO, 1 otherwise)")
    .argument('<component>', COMPONENTS.join(' | '))
    .action(action(async (c: string) => criteria(client(), out(), component(c))));

  program
    .command('report')
    .description("the month's costs against the plan and the baseline, the return, the migrations' state and history: Markdown for a stakeholder e-mail, or --json")
    .option('--month <YYYY-MM>', 'the month (default: the current one, UTC)')
    .action(action(async (o: { month?: string }) => report(client(), out(), parseMonth(o.month, rt.now()))));

  const notify = program.command('notify').description('notification channels');
  notify
    .command('test')
    .description("send a test message to every channel of the gateway's config; exit 1 if one fails")
    .action(action(async () => notifyTest(client(), out())));

  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function run(argv: readonly string[], rt: Runtime): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  const program = buildProgram(rt, (c) => (code = c));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof CliError) {
      const json = program.opts<GlobalOptions>().json === true;
      if (json) rt.stdout.write(`${JSON.stringify({ error: { exitCode: error.code, message: error.message, ...(error.body !== undefined ? { gateway: error.body } : {}) } }, null, 2)}\n`);
      else {
        const o = createOutput(rt, false);
        rt.stderr.write(`${o.paint('error', 'bad')}: ${error.message}\n`);
        if (error.hint) rt.stderr.write(`  ${error.hint}\n`);
      }
      return error.code;
    }
    throw error;
  }
}
