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
