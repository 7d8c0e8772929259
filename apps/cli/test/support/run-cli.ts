// Runs the command line in this process with captured streams, as a terminal (isTTY) or a pipe.
import { run, type Runtime } from '../../src/index.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], o: { env?: Record<string, string | undefined>; tty?: boolean; cwd?: string; now?: Date; signal?: AbortSignal } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const rt: Runtime = {
    stdout: { write: (s: string) => (stdout += s), isTTY: o.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    env: o.env ?? {},
    cwd: o.cwd ?? process.cwd(),
    now: () => o.now ?? new Date(),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const code = await run(['node', 'bascule', ...argv], rt);
  return { code, stdout, stderr };
}
