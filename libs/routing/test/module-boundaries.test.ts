// The workspace's dependency rules, proved on the repository's own ESLint config (eslint.config.js) and Nx
// project graph: snippets are linted in memory as if they were files of a project, so a rule that stops
// firing (a tag renamed, a constraint dropped, the config no longer applied to libs/) fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** Lints `code` as the (virtual) file `path`, relative to the repository root; answers its messages. */
async function lint(path: string, code: string): Promise<Array<Pick<Linter.LintMessage, 'ruleId' | 'message'>>> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

const BOUNDARIES = '@nx/enforce-module-boundaries';

describe('libs never import apps', () => {
  it.each(['@bascule/gateway', '@bascule/dashboard', '@bascule/lab'])('libs/client importing %s is reported by tag', async (app) => {
    expect(await lint('libs/client/src/probe.ts', `import { x } from '${app}';\nexport const y = x;\n`)).toEqual([
      { ruleId: BOUNDARIES, message: 'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"' },
    ]);
  });

  it('libs/contracts importing an app is reported, by package name or by relative path', async () => {
    // The apps depend on contracts, so the rule names the cycle before the tags; either way it is an error.
    const byName = await lint('libs/contracts/src/probe.ts', "import { x } from '@bascule/gateway';\nexport const y = x;\n");
    expect(byName).toEqual([{ ruleId: BOUNDARIES, message: expect.stringMatching(/^(Circular dependency between "contracts" and "gateway"|A project tagged with "type:lib" can only depend on libs tagged with "type:lib")/) }]);
    const byPath = await lint('libs/contracts/src/probe.ts', "import { buildApp } from '../../../apps/gateway/src/app.ts';\nexport const y = buildApp;\n");
    expect(byPath).toEqual([{ ruleId: BOUNDARIES, message: expect.stringMatching(/^Projects cannot be imported by a relative or absolute path/) }]);
  });

  it('lets a lib import another lib (the control case)', async () => {
    expect(await lint('libs/client/src/probe.ts', "import type { ErrorBody } from '@bascule/contracts';\nexport type E = ErrorBody;\n")).toEqual([]);
  });
});

describe('libs/routing imports nothing that does I/O', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'no-restricted-imports', /'node:fs' import is restricted/],
    ["import { readFileSync } from 'fs';", 'no-restricted-imports', /'fs' import is restricted/],
    ["import { request } from 'node:http';", 'no-restricted-imports', /'node:http' import is restricted/],
    ["import { request } from 'undici';", BOUNDARIES, /^A project tagged with "scope:pure" is not allowed to import "undici"$/],
    ["import Database from 'better-sqlite3';", BOUNDARIES, /^A project tagged with "scope:pure" is not allowed to import "better-sqlite3"$/],
    // contracts depends on routing (the vocabulary), so the cycle is named before the tags.
    ["import { z } from '@bascule/contracts';", BOUNDARIES, /^(Circular dependency between "routing" and "contracts"|A project tagged with "scope:pure" can only depend on libs tagged with "scope:pure")/],
  ])('%s is reported by %s', async (line, ruleId, message) => {
    const messages = await lint('libs/routing/src/probe.ts', `${line}\nexport const keep = [];\n`);
    expect(messages.some((m) => m.ruleId === ruleId && message.test(m.message))).toBe(true);
  });

  it.each([
    ["export const f = () => fetch('http://127.0.0.1/');", 'no-restricted-globals', /'fetch'/],
    ['export const f = () => setTimeout(() => undefined, 10);', 'no-restricted-globals', /'setTimeout'/],
    ['export const now = Date.now();', 'no-restricted-properties', /'Date\.now'.*inject a clock/],
    ['export const now = performance.now();', 'no-restricted-globals', /'performance'.*inject a clock/],
    ['export const now = new Date();', 'no-restricted-syntax', /inject a clock/],
    ['export const r = Math.random();', 'no-restricted-properties', /'Math\.random'.*inject randomness/],
    ['export const env = process.env.BASCULE_PORT;', 'no-restricted-globals', /'process'/],
  ])('%s is reported by %s (time, randomness and the environment are injected)', async (code, ruleId, message) => {
    const messages = await lint('libs/routing/src/probe.ts', `${code}\n`);
    expect(messages).toEqual([{ ruleId, message: expect.stringMatching(message) }]);
  });

  it('lets the engine import its own modules, and a date be built from a given time (the control cases)', async () => {
    expect(await lint('libs/routing/src/probe.ts', "import { cohortBucket } from './cohort.ts';\nexport const f = cohortBucket;\nexport const d = (at: number) => new Date(at);\n")).toEqual([]);
  });

  it('applies the purity rules to the sources only: tests may use the clock', async () => {
    expect(await lint('libs/routing/test/probe.test.ts', 'export const now = Date.now();\n')).toEqual([]);
  });
});

// Nx sees cycles between projects only; a cycle between two files of the engine (plan.ts ⇄ analysis.ts once)
// makes the import order decide which module sees the other half-initialised. So the files' own imports are
// read (TypeScript's pre-processor, type-only imports included) and the graph is searched for a cycle.
describe('libs/routing has no import cycle between its files', () => {
  const SRC = `${ROOT}libs/routing/src/`;

  function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(`${SRC}${file}`, 'utf8'), true, true);
      graph.set(file, importedFiles.map((i) => i.fileName).filter((name) => name.startsWith('./')).map((name) => name.slice(2)));
    }
    return graph;
  }

  /** The first cycle found, as the files in import order back to the first, or null. */
  function findCycle(graph: Map<string, string[]>): string[] | null {
    const done = new Set<string>();
    const visit = (file: string, path: string[]): string[] | null => {
      const at = path.indexOf(file);
      if (at >= 0) return [...path.slice(at), file];
      if (done.has(file)) return null;
      for (const next of graph.get(file) ?? []) {
        const cycle = visit(next, [...path, file]);
        if (cycle) return cycle;
      }
      done.add(file);
      return null;
    };
    for (const file of graph.keys()) {
      const cycle = visit(file, []);
      if (cycle) return cycle;
    }
    return null;
  }

  it('finds none in the engine sources', () => {
    const graph = importGraph();
    expect(graph.get('plan.ts')).toContain('criteria.ts');
    expect(findCycle(graph)).toBeNull();
  });

  it('criteria.ts is a leaf: it imports only types.ts', () => {
    expect(importGraph().get('criteria.ts')).toEqual(['types.ts']);
  });

  it('reports a cycle when there is one (the control case: the former plan.ts ⇄ analysis.ts)', () => {
    const graph = new Map([
      ['plan.ts', ['cohort.ts', 'analysis.ts', 'types.ts']],
      ['analysis.ts', ['metrics.ts', 'plan.ts', 'types.ts']],
      ['cohort.ts', []],
      ['metrics.ts', []],
      ['types.ts', []],
    ]);
    expect(findCycle(graph)).toEqual(['plan.ts', 'analysis.ts', 'plan.ts']);
  });
});
