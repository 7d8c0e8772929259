// `nx run gateway:bench-quality -- --component stt`: the quality benchmark on the shipped French corpus,
// against the local lab (npm start's) or the hosts of a gateway config. See docs/quality-benchmark.md.
// Exit 0 when it ran (whatever the scores), 2 on a usage error, 1 when it could not run or post.
import { writeFileSync } from 'node:fs';
import { LOCAL_ADMIN_TOKEN, discoverLabUpstreams, loadConfigFile, localConfig, type LoadedConfig } from '../../src/config/index.ts';
import { USAGE, UsageError, parseBenchArgs, type BenchArgs } from './args.ts';
import { renderSvg } from './chart.ts';
import { CORPUS_DIR, loadCorpus } from './corpus.ts';
import { postResults } from './post.ts';
import { runBenchmark } from './runner.ts';
import { formatTable } from './table.ts';
import { benchTargets } from './targets.ts';

async function loadTargetsConfig(args: BenchArgs): Promise<LoadedConfig> {
  if (args.config) return loadConfigFile(args.config);
  const upstreams = await discoverLabUpstreams(args.lab).catch((error: Error) => {
    throw new Error(`no lab at ${args.lab} (${error.message}): start it with npm start, or give --lab or --config`);
  });
  return localConfig({ labUpstreams: upstreams });
}

async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const corpusDir = args.corpus ?? CORPUS_DIR;
  const corpus = loadCorpus(corpusDir);
  const { targets, costModel } = benchTargets(await loadTargetsConfig(args), args.component, args.providers);
  const report = await runBenchmark({
    component: args.component, corpus, corpusDir, targets, costModel, timeoutMs: args.timeoutMs,
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
    // Progress only on a terminal: a log or a pipe gets the report alone.
    ...(process.stderr.isTTY ? { onItem: (done: number, total: number) => process.stderr.write(`\r${args.component}: ${done}/${total}${done === total ? '\n' : ''}`) } : {}),
  });
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
  if (args.svg) {
    writeFileSync(args.svg, renderSvg(report));
    process.stderr.write(`chart: ${args.svg}\n`);
  }
  if (args.post) {
    const posted = await postResults(report, { gatewayUrl: args.gateway, adminToken: process.env.BASCULE_ADMIN_TOKEN || LOCAL_ADMIN_TOKEN });
    for (const p of posted) process.stderr.write(`posted ${report.benchmark} for ${p.provider} to ${args.gateway} (${p.status})\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench-quality: ${error.message}\n`);
    process.exit(1);
  },
);
