// The admin endpoints' tests run the real gateway (Fastify inject) over a real SQLite file in its own temp
// folder, on a fake clock, and open it again on the same file to play a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createGateway, type Gateway } from '../../src/app.ts';
import { adminHeaders, testConfig, type FakeClock } from '../helpers.ts';

export interface FileGateway {
  /** The temp folder, for any other database file a test needs. */
  dir: string;
  storePath: string;
  /** A gateway over storePath, ready for inject (no logger, no analysis loop, no dashboard). */
  open(): Promise<Gateway>;
  /** Delete the folder; close the gateways first. */
  remove(): void;
}

export function fileGateway(name: string, clock: FakeClock): FileGateway {
  const dir = mkdtempSync(join(tmpdir(), `bascule-${name}-`));
  const storePath = join(dir, 'bascule.db');
  return {
    dir,
    storePath,
    open: async () => {
      const gateway = await createGateway({ loaded: testConfig(), storePath, clock, logger: false, analysisLoop: false, dashboardDir: null });
      await gateway.app.ready();
      return gateway;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** GET an admin URL with the token; expects a 200 and returns the body parsed by `schema`. */
export async function adminGet<T>(gateway: Gateway, url: string, schema: { parse(body: unknown): T }): Promise<T> {
  const res = await gateway.app.inject({ url, headers: adminHeaders });
  expect(res.statusCode).toBe(200);
  return schema.parse(res.json());
}
