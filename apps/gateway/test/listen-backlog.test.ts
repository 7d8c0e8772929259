// The public listener's accept queue: deep enough for 1 000 clients connecting at once (issue 17). Read back
// from the kernel with `ss` (iproute2), whose Send-Q column is a listening socket's backlog.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG, startGateway } from '../src/app.ts';
import { testConfig } from './helpers.ts';

/** The backlog the kernel holds for the socket listening on this port (capped at net.core.somaxconn). */
function kernelBacklog(url: string): number {
  const port = new URL(url).port;
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const sendQ = line.split(/\s+/)[2];
  if (sendQ === undefined) throw new Error(`ss: no listening socket on port ${port}: "${line}"`);
  return Number(sendQ);
}

const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('listen backlog', () => {
  it('listens with LISTEN_BACKLOG, not Node\'s 511', async () => {
    const started = await startGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
    close = started.close;
    expect(LISTEN_BACKLOG).toBe(4096);
    expect(kernelBacklog(started.url)).toBe(Math.min(LISTEN_BACKLOG, somaxconn));
  });

  it('takes another backlog when asked', async () => {
    const started = await startGateway({ loaded: testConfig(), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null, backlog: 128 });
    close = started.close;
    expect(kernelBacklog(started.url)).toBe(128);
  });
});
