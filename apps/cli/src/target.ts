// Which gateway the admin commands talk to: --url / --token, else BASCULE_ADMIN_URL / BASCULE_ADMIN_TOKEN.
import { AdminClient } from './admin-client.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface GlobalOptions {
  url?: string;
  token?: string;
  timeout: string;
  json?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function timeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new CliError(EXIT.USAGE, `--timeout: expected a whole number of milliseconds, got "${value}"`);
  return ms;
}

export function adminClient(o: GlobalOptions, env: Readonly<Record<string, string | undefined>>): AdminClient {
  const url = o.url ?? env.BASCULE_ADMIN_URL;
  if (!url) throw new CliError(EXIT.USAGE, 'no gateway: give --url or set BASCULE_ADMIN_URL (e.g. http://127.0.0.1:4000)');
  if (!/^https?:\/\/[^/\s]+/i.test(url)) throw new CliError(EXIT.USAGE, `--url: expected an http(s) URL such as https://api.example.org, got "${url}"`);
  const token = o.token ?? env.BASCULE_ADMIN_TOKEN;
  if (!token) throw new CliError(EXIT.AUTH, 'no admin token: set BASCULE_ADMIN_TOKEN (or --token, which shows in your shell history)');
  return new AdminClient({ url, token, timeoutMs: timeoutMs(o.timeout) });
}
