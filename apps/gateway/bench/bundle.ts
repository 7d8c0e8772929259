// The bench's Node servers run as the gateway's image runs Bascule: one ES module bundled by esbuild with the
// Dockerfile's own arguments (its `--external:` packages, read from it as test/docker-bundle.test.ts does),
// started by plain `node`, no TypeScript loader. Run through tsx instead, Bascule idled at about 190 MB of RSS
// against 104 MB bundled: tsx keeps every source file's module record and source map, and its loader runs a
// second thread. Every Node target gets the same treatment, so the comparisons stay fair.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const GATEWAY = fileURLToPath(new URL('../', import.meta.url));

/** The packages a checkout's image leaves out of its bundle (installed in its node_modules instead). */
export function imageExternals(gatewayDir = GATEWAY): string[] {
  const dockerfile = readFileSync(join(gatewayDir, 'Dockerfile'), 'utf8');
  return [...dockerfile.matchAll(/--external:'?([^\s'\\]+)'?/g)].map((m) => m[1]!);
}

export interface BenchBundles {
  /** The bundled module of each bench file (`bascule-server.ts` → its `.mjs`). */
  path(file: string): string;
  remove(): void;
}

/**
 * Bundles `files` (names in bench/) into a temporary folder under the gateway's, where the externals resolve
 * from the workspace's node_modules as they do from the image's. `remove()` deletes it. `checkout`: the root
 * of another checkout of the repository (an older commit, with its own `npm ci`), whose bench files and
 * Dockerfile are used instead of this one's.
 */
export async function bundleBenchServers(files: readonly string[], checkout?: string): Promise<BenchBundles> {
  const gatewayDir = checkout ? join(checkout, 'apps', 'gateway') : GATEWAY;
  const dir = mkdtempSync(join(gatewayDir, '.bench-build-'));
  try {
    await build({
      entryPoints: files.map((file) => join(gatewayDir, 'bench', file)),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      external: imageExternals(gatewayDir),
      logLevel: 'warning',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    path: (file) => join(dir, basename(file).replace(/\.ts$/, '.mjs')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
