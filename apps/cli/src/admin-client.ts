// The admin API over HTTP: bearer token, JSON in and out, a timeout on every call, and the gateway's error
// shape turned into a CliError with the exit code a script can branch on. The token is never printed.
import { request } from 'undici';
import { CliError, EXIT } from './exit-codes.ts';

export interface AdminTarget {
  /** e.g. https://api.example.org (the admin API is under /admin/v1). */
  url: string;
  token: string;
  timeoutMs: number;
}

interface ErrorBody {
  error?: { code?: string; message?: string; component?: string; field?: string; blockers?: unknown };
}

export class AdminClient {
  constructor(private readonly target: AdminTarget) {}

  get baseUrl(): string {
    return this.target.url.replace(/\/+$/, '');
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  /** Opens a streamed GET (server-sent events); the caller reads and closes the body. */
  async stream(path: string, signal: AbortSignal) {
    const res = await this.send('GET', path, undefined, { accept: 'text/event-stream' }, signal, false);
    if (res.statusCode !== 200) await this.fail(res.statusCode, await res.body.text());
    return res.body;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body, { accept: 'application/json' }, AbortSignal.timeout(this.target.timeoutMs), true);
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) return (text ? JSON.parse(text) : {}) as T;
    return this.fail(res.statusCode, text);
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal, bounded: boolean) {
    const url = `${this.baseUrl}/admin/v1${path}`;
    try {
      return await request(url, {
        method: method as 'GET',
        headers: { ...headers, authorization: `Bearer ${this.target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
        headersTimeout: this.target.timeoutMs,
        ...(bounded ? { bodyTimeout: this.target.timeoutMs } : { bodyTimeout: 0 }),
      });
    } catch (error) {
      const why = error instanceof Error ? (error.name === 'TimeoutError' || error.name === 'AbortError' ? `no answer within ${this.target.timeoutMs} ms` : error.message) : String(error);
      throw new CliError(EXIT.UNREACHABLE, `cannot reach the admin API at ${this.baseUrl}: ${why}`, 'check --url (or BASCULE_ADMIN_URL) and that the gateway is up: curl <url>/readyz');
    }
  }

  private fail(status: number, text: string): never {
    let parsed: ErrorBody = {};
    try {
      parsed = JSON.parse(text) as ErrorBody;
    } catch {
      // not JSON (a proxy's page): the status says enough
    }
    const message = parsed.error?.message ?? `HTTP ${status}`;
    if (status === 401 || status === 403) throw new CliError(EXIT.AUTH, `the admin API refused the token (${status}): ${message}`, 'set --token or BASCULE_ADMIN_TOKEN to the gateway\'s admin token', parsed);
    if (status === 409) throw new CliError(EXIT.BLOCKED, message, undefined, parsed);
    if (status >= 400 && status < 500) throw new CliError(EXIT.REJECTED, `${message}${parsed.error?.code ? ` (${parsed.error.code})` : ''}`, undefined, parsed);
    throw new CliError(EXIT.UNREACHABLE, `the gateway answered ${status}: ${message}`, undefined, parsed);
  }
}
