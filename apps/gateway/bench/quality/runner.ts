// Sends the corpus of one component to its providers through the gateway's own adapters (the same code the
// gateway routes with), item by item and provider after provider, so both see the same moment's load.
// Each call is timed and priced (the config's price list, libs/routing cost.ts) and its answer judged.
import { requestCost, type Component, type CostModel, type ProviderId } from '@bascule/routing';
import type { Adapter } from '../../src/adapters/index.ts';
import type { Corpus } from './corpus.ts';
import { llmProbe } from './probes/llm.ts';
import { sttProbe } from './probes/stt.ts';
import { ttsProbe } from './probes/tts.ts';
import type { Probe } from './probes/types.ts';
import { visionProbe } from './probes/vision.ts';
import type { BenchReport, ItemResult, ProviderSummary } from './report-types.ts';
import type { SpeakOptions } from './speech.ts';
import { summarise } from './summarise.ts';

export interface BenchTarget {
  provider: ProviderId;
  role: ProviderSummary['role'];
  adapter: Adapter;
}

export interface BenchOptions {
  component: Component;
  corpus: Corpus;
  corpusDir: string;
  targets: readonly BenchTarget[];
  costModel: CostModel;
  /** Per call (default 10 s): a slow provider costs its items, not the run. */
  timeoutMs?: number;
  /** Only the first `limit` items (the CI's short run). */
  limit?: number;
  speak?: SpeakOptions;
  /** Called after each item's calls (progress on stderr). */
  onItem?: (done: number, total: number) => void;
}

type AnyProbe = Probe<{ id: string }, unknown>;

function probeFor(options: BenchOptions): { probe: AnyProbe; items: readonly { id: string }[] } {
  const { corpus } = options;
  switch (options.component) {
    case 'stt':
      return { probe: sttProbe(options.speak) as AnyProbe, items: corpus.stt };
    case 'vision':
      return { probe: visionProbe(options.corpusDir) as AnyProbe, items: corpus.vision };
    case 'tts':
      return { probe: ttsProbe() as AnyProbe, items: corpus.tts };
    case 'llm':
      return { probe: llmProbe() as AnyProbe, items: corpus.llm };
  }
}

export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const started = Date.now();
  const { probe, items: all } = probeFor(options);
  const items = options.limit === undefined ? all : all.slice(0, options.limit);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: ItemResult[] = [];
  for (const [index, item] of items.entries()) {
    const input = await probe.prepare(item);
    for (const target of options.targets) results.push(await callOne(probe, target, item, input, timeoutMs, options.costModel));
    options.onItem?.(index + 1, items.length);
  }
  return {
    benchmark: options.corpus.name,
    component: options.component,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    items: items.length,
    providers: options.targets.map((t) => summarise(options.component, t.provider, t.role, results)),
    results,
  };
}

async function callOne(probe: AnyProbe, target: BenchTarget, item: { id: string }, input: unknown, timeoutMs: number, costModel: CostModel): Promise<ItemResult> {
  const t0 = performance.now();
  try {
    const { usage, judged } = await probe.call(target.adapter, item, input, { timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    const latencyMs = performance.now() - t0;
    return { id: item.id, provider: target.provider, ok: true, latencyMs, costEur: requestCost(costModel, target.provider, usage), ...judged };
  } catch (error) {
    const latencyMs = performance.now() - t0;
    // A failed call is priced at nothing: providers do not bill the calls they fail.
    return { id: item.id, provider: target.provider, ok: false, latencyMs, costEur: 0, ...probe.failed(item, error as Error) };
  }
}
