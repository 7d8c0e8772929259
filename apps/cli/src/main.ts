// Entry point of `bascule` (bin/bascule.js): the process's streams, environment and Ctrl-C.
import { run } from './program.ts';
import type { ExitCode } from './exit-codes.ts';

export async function main(argv: readonly string[]): Promise<ExitCode> {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  // `bascule events --follow | head`: the reader went away; stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stop.abort();
    process.exit(0);
  });
  return run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), now: () => new Date(), signal: stop.signal });
}
