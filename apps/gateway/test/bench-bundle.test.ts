// The bench runs its Node targets as the image runs the gateway (bench/bundle.ts): bundled with the
// Dockerfile's externals and started by plain node. The bundle must start without a TypeScript loader, answer,
// and leave nothing behind in the repository.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { bundleBenchServers, imageExternals } from '../bench/bundle.ts';

describe("the bench's bundles", () => {
  it("reads the image's externals from the Dockerfile", () => {
    expect(imageExternals()).toEqual(expect.arrayContaining(['fastify', 'undici', 'prom-client', 'better-sqlite3']));
  });

  it('runs a bench server under plain node, and removes its folder', async () => {
    const bundles = await bundleBenchServers(['upstream.ts']);
    const file = bundles.path('upstream.ts');
    const child = spawn(process.execPath, [file], { env: { ...process.env, LATENCY_MS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      expect(file).toMatch(/\.bench-build-[^/]+\/upstream\.mjs$/);
      const first = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no URL within 10 s')), 10_000);
        createInterface({ input: child.stdout! }).once('line', (line) => {
          clearTimeout(timer);
          resolve(line);
        });
      });
      const { url } = JSON.parse(first) as { url: string };
      const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) });
      expect(((await res.json()) as { object: string }).object).toBe('chat.completion');
    } finally {
      child.kill('SIGKILL');
      bundles.remove();
    }
    expect(existsSync(file)).toBe(false);
  });
});
