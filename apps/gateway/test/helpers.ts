// Shared test setup: a local config (providers at a fixed lab address unless given), a fake clock.
import { localConfig, type LoadedConfig } from '../src/config/index.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const CLIENT_KEY = 'test-client-key-0123456789';

export function testConfig(labBaseUrl = 'http://127.0.0.1:9'): LoadedConfig {
  return localConfig({ labBaseUrl, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
}

export class FakeClock {
  constructor(public t = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Calls the admin API of the gateway at `url()` (read at each call: tests restart their gateway) with the test token. */
export function adminCaller<T = unknown>(url: () => string): (method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }> {
  return async (method, path, body) => {
    const res = await fetch(`${url()}/admin/v1${path}`, {
      method,
      headers: { ...adminHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}
