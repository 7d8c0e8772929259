// The gateway's Dockerfile cannot be built here (no Docker engine), so this test checks what can go wrong in
// it without one: the workspace manifests its `npm ci` needs, the npm packages it leaves out of the bundle,
// and the bundle itself — built with the Dockerfile's own esbuild arguments, then started as the image
// starts it (node main.mjs, config from BASCULE_CONFIG) and asked /healthz and /readyz.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCKERFILE = readFileSync(resolve(ROOT, 'apps/gateway/Dockerfile'), 'utf8');
const gatewayPackage = JSON.parse(readFileSync(resolve(ROOT, 'apps/gateway/package.json'), 'utf8')) as { dependencies: Record<string, string> };
const rootPackage = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };

/** The `--external:` packages of the Dockerfile's esbuild step. */
const externals = [...DOCKERFILE.matchAll(/--external:'?([^\s'\\]+)'?/g)].map((m) => m[1]!);
/** The environment the runtime stage (after the last FROM) sets with ENV, as the container starts with it. */
const runtimeEnv = Object.fromEntries(
  [...DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM ')).matchAll(/^ENV\s+(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
);
/** Every workspace folder (apps/x, libs/y, infra) of the root package.json. */
const workspaces = rootPackage.workspaces.flatMap((pattern) =>
  pattern.endsWith('/*') ? readdirSync(resolve(ROOT, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern],
).filter((folder) => existsSync(resolve(ROOT, folder, 'package.json')));
const npmDependencies = Object.keys(gatewayPackage.dependencies).filter((name) => !name.startsWith('@bascule/'));

// Under the gateway's folder, so the bundle resolves its external packages from the workspace's node_modules.
const work = mkdtempSync(join(resolve(ROOT, 'apps/gateway'), '.bundle-test-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

async function waitForHealth(url: string, output: () => string): Promise<Response> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child?.exitCode !== null) throw new Error(`the bundle exited (${child?.exitCode}):\n${output()}`);
    try {
      return await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no /healthz answer:\n${output()}`);
}

describe("the gateway's Dockerfile", () => {
  it('builds every stage on a base pinned by digest (a tag can be pushed again with other contents)', () => {
    const args = new Map([...DOCKERFILE.matchAll(/^ARG\s+(\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const stages = new Set<string>();
    const bases = [...DOCKERFILE.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/gim)].map((m) => {
      const base = m[1]!.replace(/^\$\{(\w+)\}$/, (_all, name: string) => args.get(name) ?? '');
      if (m[2]) stages.add(m[2].toLowerCase());
      return base;
    });
    expect(bases.length).toBeGreaterThanOrEqual(3);
    for (const base of bases.filter((b) => !stages.has(b.toLowerCase()))) expect(base).toMatch(/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
  });

  it('copies the package.json of every workspace before npm ci (npm ci refuses a lockfile naming a missing one)', () => {
    for (const folder of workspaces) expect(DOCKERFILE, folder).toContain(`COPY ${folder}/package.json ${folder}/`);
  });

  it("leaves every npm dependency of the gateway out of the bundle, and nothing it doesn't depend on", () => {
    const covered = (name: string) => externals.some((e) => e === name || (e.endsWith('/*') && name.startsWith(e.slice(0, -1))));
    for (const name of npmDependencies) expect(covered(name), `--external:${name}`).toBe(true);
    for (const external of externals) {
      const matches = npmDependencies.some((name) => name === external || (external.endsWith('/*') && name.startsWith(external.slice(0, -1))));
      expect(matches, `${external} is external but not a dependency of the gateway`).toBe(true);
    }
  });

  it('starts the gateway with 16 MB semi-spaces (NODE_OPTIONS in the runtime stage): the memory bound of issue 17', () => {
    expect(runtimeEnv.NODE_OPTIONS).toBe('--max-semi-space-size=16');
    expect(runtimeEnv.NODE_ENV).toBe('production');
  });

  it('bundles main.ts with its esbuild arguments into a module that starts from a config file and answers /healthz', async () => {
    const outfile = join(work, 'main.mjs');
    await build({ entryPoints: [resolve(ROOT, 'apps/gateway/src/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', outfile, external: externals, logLevel: 'silent' });
    const config = {
      auth: { clientKeys: [{ name: 'app', keyEnv: 'BUNDLE_CLIENT_KEY' }], adminTokenEnv: 'BUNDLE_ADMIN_TOKEN' },
      components: {
        stt: {
          mvp: 'openai-whisper',
          production: 'faster-whisper',
          plan: { version: 1, slaMs: 2000, steps: [{ weight: 10, duration: '48h' }, { weight: 100, duration: '7d' }] },
          providers: { 'openai-whisper': { baseUrl: 'http://127.0.0.1:9', pricing: { unit: 'audio_second', eurPerUnit: 0.0001 } }, 'faster-whisper': { baseUrl: 'http://127.0.0.1:9' } },
        },
      },
      vps: { monthlyCostEur: 160 },
    };
    const configPath = join(work, 'gateway.json');
    writeFileSync(configPath, JSON.stringify(config));
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const port = await freePort();
    let output = '';
    child = spawn(process.execPath, [outfile], {
      // The runtime stage's environment (NODE_OPTIONS included: Node refuses to start on a flag it does not
      // allow there), then what `docker run` would add.
      env: { PATH: process.env.PATH, ...runtimeEnv, BASCULE_CONFIG: configPath, BASCULE_PORT: String(port), BASCULE_HOST: '127.0.0.1', BASCULE_DATA_DIR: dataDir, BUNDLE_CLIENT_KEY: 'bundle-client-key', BUNDLE_ADMIN_TOKEN: 'bundle-admin-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const url = `http://127.0.0.1:${port}`;
    const health = await waitForHealth(url, () => output);
    expect(health.status).toBe(200);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect([200, 503]).toContain(ready.status); // ready or not, it answers: the store and the routes are loaded
    const components = await fetch(`${url}/admin/v1/components`, { headers: { authorization: 'Bearer bundle-admin-token' }, signal: AbortSignal.timeout(5_000) });
    expect(components.status).toBe(200);
    expect(((await components.json()) as { components: { component: string }[] }).components.map((c) => c.component)).toEqual(['stt']);
    expect(existsSync(join(dataDir, 'bascule.db'))).toBe(true);

    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
