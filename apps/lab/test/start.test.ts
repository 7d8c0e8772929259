// `npm start` (scripts/start.ts) from the outside: it starts, prints its URLs and keys, serves the gateway
// against the lab with the simulated class running, and stops cleanly on SIGINT.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { call, postJson } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let child: ChildProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'bascule-start-'));

afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('runs lab, gateway and traffic, prints URLs and keys, and stops on SIGINT', async () => {
    let output = '';
    // `node --import tsx`, one process: the tsx CLI's signal relay adds a second process whose own exit code
    // can race the script's (see README).
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        BASCULE_PORT: '0',
        BASCULE_LAB_PORT: '0',
        BASCULE_DATA_DIR: dataDir,
        BASCULE_STUDENTS: '3',
        BASCULE_TRAFFIC_RATE: '20',
        BASCULE_LAB_LATENCY_SCALE: '0',
        BASCULE_DASHBOARD_BUILD: '0',
        BASCULE_CLIENT_KEY: '',
        BASCULE_ADMIN_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so that SIGINT reaches it as Ctrl-C in a terminal does
    });
    child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((done) => child?.on('exit', (code) => done(code)));

    await vi.waitFor(() => expect(output).toContain('Ctrl-C stops everything'), { timeout: 45_000, interval: 100 });
    const gatewayUrl = /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const labUrl = /lab control API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(gatewayUrl, output).toBeDefined();
    expect(labUrl, output).toBeDefined();
    expect(output).toContain('client key        local-client-key');
    expect(output).toContain('admin token       local-admin-token');
    expect(output).toMatch(/faster-whisper\s+http:\/\/127\.0\.0\.1:\d+/);

    expect((await call(`${gatewayUrl}/healthz`)).status).toBe(200);
    const chat = await postJson(`${gatewayUrl}/v1/chat/completions`, { messages: [{ role: 'user', content: 'Un texte sur la lune' }] }, { authorization: 'Bearer local-client-key', 'x-student-id': 'eleve-test' });
    expect(chat.status).toBe(200);
    expect(chat.headers['x-bascule-component']).toBe('llm');
    // The simulated class reaches the lab through the gateway.
    await vi.waitFor(async () => {
      const state = (await call(`${labUrl}/lab/v1/upstreams`)).json<{ upstreams: { name: string; requests: number }[] }>();
      expect(state.upstreams.find((u) => u.name === 'openai-whisper')?.requests).toBeGreaterThan(0);
    }, { timeout: 15_000, interval: 200 });

    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');
  }, 90_000);
});
