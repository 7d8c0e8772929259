// kill -9 of a gateway process: a change the admin API acknowledged is in the store with its audit event
// (it is written before it takes effect), and the rollups recorded more than one flush interval before the
// kill were written.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '@bascule/lab';
import { SqliteStore } from '../src/store/index.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ADMIN_TOKEN = 'crash-admin-token-0123456789';
const CLIENT_KEY = 'crash-client-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'bascule-crash-'));
let child: ChildProcess | undefined;
let lab: Lab | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts main.ts on a free port and resolves with the URL it prints. */
function startMain(labUrl: string): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, BASCULE_PORT: '0', BASCULE_DATA_DIR: dir, BASCULE_LAB_URL: labUrl, BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY, BASCULE_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Bascule gateway: (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    child!.stdout!.on('data', seen);
    child!.stderr!.on('data', seen);
    child!.on('exit', (code) => reject(new Error(`main.ts exited (${code}) before listening:\n${output}`)));
  });
}

describe('kill -9 of a gateway', () => {
  it('loses no acknowledged change and no rollup older than one flush interval', async () => {
    lab = await startLab({ latencyScale: 0 });
    const url = await startMain(lab.controlUrl);
    const put = await fetch(`${url}/admin/v1/components/llm/weight`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ weight: 37, reason: 'just before the crash', override: { reason: 'test setup: exposure chosen by the test' } }),
    });
    expect(put.status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'x-student-id': `eleve-${i}` },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'Une phrase.' }] }),
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(10).fill(200));
    // The flush runs every second: wait for two, then kill without warning.
    const store = () => new SqliteStore(join(dir, 'bascule.db'));
    const written = async () => {
      const s = store();
      try {
        return (await s.rollupsSince(0, 'llm')).reduce((n, r) => n + r.count, 0);
      } finally {
        await s.close();
      }
    };
    for (let i = 0; i < 100 && (await written()) < 10; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;

    const after = store();
    expect((await after.loadStates()).find((v) => v.state.component === 'llm')?.state.weight).toBe(37);
    expect((await after.events({ component: 'llm', limit: 1 }))[0]).toMatchObject({ action: 'set-weight', reason: expect.stringMatching(/^just before the crash · OVERRIDE: /), to: { weight: 37 } });
    expect((await after.rollupsSince(0, 'llm')).reduce((n, r) => n + r.count, 0)).toBe(10);
    await after.close();
  }, 60_000);
});
