// The bench's fixed-rate phase: each target, in turn, gets the same seeded open-loop schedule at a share of
// the bare proxy's saturated throughput, through an undici Pool of a fixed number of connections, one
// student id among many per request. Rounds interleave the targets (each round starts one target further
// along), and every run records the latency from the due time, the target's CPU per request, its RSS before
// and after, and its event-loop delay when it exports one.
import { Pool } from 'undici';
import { runOpenLoop, schedule, studentOf, summarize, type Arrivals, type LatencySummary } from './open-loop.ts';
import { cpuMs, loopDelayBetween, rssMb, sampleRss, scrapeMetrics, settle, type LoopDelay } from './probes.ts';

export interface OpenTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid?: number;
}

export interface OpenLoopSettings {
  /** Shares of `capacity` to run at (0.25, 0.5, 0.75). */
  shares: number[];
  /** The bare proxy's saturated throughput, req/s. */
  capacity: number;
  durationS: number;
  warmupS: number;
  connections: number;
  students: number;
  arrivals: Arrivals;
  seed: number;
  rounds: number;
  /** How long a run may go on after its last due time before what is unanswered is abandoned, s. */
  graceS: number;
  body: string;
  headers: Record<string, string>;
}

export interface OpenRun {
  target: string;
  share: number;
  rate: number;
  round: number;
  latency: LatencySummary;
  late: number;
  abandoned: number;
  maxSendLagMs: number;
  non2xx: number;
  errors: number;
  detail: string;
  cpuMsPerReq: number | null;
  rssBefore: number | null;
  rssDuring: number | null;
  rssAfter: number | null;
  loop: LoopDelay | null;
}

/** One open-loop run against one target: a warm-up at the same rate, then the measured schedule. */
async function openLoopRun(target: OpenTarget, rate: number, durationS: number, settings: OpenLoopSettings, seed: number) {
  const pool = new Pool(target.url, { connections: settings.connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const headers = { ...settings.headers, ...target.headers };
  const send = async (index: number) => {
    const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { ...headers, 'x-student-id': studentOf(index, settings.students) }, body: settings.body });
    await res.body.dump();
    return { status: res.statusCode };
  };
  try {
    return await runOpenLoop({ due: schedule(rate, durationS, settings.arrivals, seed), connections: settings.connections, send, graceMs: settings.graceS * 1_000 });
  } finally {
    // Requests of a cut run may still be in flight: their connections are closed, not waited for.
    await pool.destroy();
  }
}

async function measure(target: OpenTarget, share: number, round: number, settings: OpenLoopSettings): Promise<OpenRun> {
  const rate = Math.round(settings.capacity * share);
  if (settings.warmupS > 0) await openLoopRun(target, rate, settings.warmupS, settings, settings.seed + 1_000);
  const rssBefore = rssMb(target.pid)?.rss ?? null;
  const metricsBefore = await scrapeMetrics(target.url);
  const cpuBefore = cpuMs(target.pid);
  const stopSampling = sampleRss(target.pid);
  // The same seed for every target of a round: each sees exactly the same arrivals.
  const record = await openLoopRun(target, rate, settings.durationS, settings, settings.seed + round);
  const rssDuring = stopSampling();
  const cpuAfter = cpuMs(target.pid);
  const loop = loopDelayBetween(metricsBefore, await scrapeMetrics(target.url));
  const count = record.latencyMs.length;
  const non2xx = [...record.statuses].filter(([s]) => s < 200 || s > 299).reduce((n, [, c]) => n + c, 0);
  const errors = [...record.errors.values()].reduce((n, c) => n + c, 0);
  const detail = [...(record.abandoned > 0 ? [`abandoned×${record.abandoned}`] : []), ...[...record.statuses].filter(([s]) => s < 200 || s > 299).map(([s, c]) => `${s}×${c}`), ...[...record.errors].map(([e, c]) => `${e}×${c}`)].join(' ');
  return {
    target: target.name,
    share,
    rate,
    round,
    latency: summarize(record.latencyMs),
    late: record.late,
    abandoned: record.abandoned,
    maxSendLagMs: record.maxSendLagMs,
    non2xx,
    errors,
    detail,
    cpuMsPerReq: cpuBefore === null || cpuAfter === null || count === 0 ? null : (cpuAfter - cpuBefore) / count,
    rssBefore,
    rssDuring,
    rssAfter: rssMb(target.pid)?.rss ?? null,
    loop,
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const na = (v: number | null | undefined, f: (v: number) => string = String) => (v === null || v === undefined ? 'n/a' : f(v));

function line(r: OpenRun): string {
  const loop = r.loop ? `${ms(r.loop.p99Ms)}/${ms(r.loop.maxMs)}` : 'n/a';
  return `| ${r.target} | ${Math.round(r.share * 100)} % (${r.rate}/s) | ${r.round + 1} | ${ms(r.latency.p50)} | ${ms(r.latency.p90)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${r.late} | ${r.non2xx + r.errors + r.abandoned}${r.detail ? ` (${r.detail})` : ''} | ${na(r.cpuMsPerReq, (v) => v.toFixed(3))} | ${na(r.rssBefore)} → ${na(r.rssDuring)} → ${na(r.rssAfter)} | ${loop} |`;
}

/** Runs every share, round after round, each round starting one target further along. */
export async function runOpenLoopPhase(live: OpenTarget[], pids: number[], settings: OpenLoopSettings): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  process.stdout.write(`\nopen loop: ${settings.arrivals} arrivals at ${settings.shares.map((s) => `${Math.round(s * 100)} %`).join(', ')} of ${Math.round(settings.capacity)} req/s, ${settings.connections} connections, ${settings.students} students, ${settings.durationS} s per run after ${settings.warmupS} s warm-up, seed ${settings.seed}\n`);
  process.stdout.write(HEADER);
  for (let round = 0; round < settings.rounds; round++) {
    for (const share of settings.shares) {
      for (const k of live.keys()) {
        const target = live[(k + round) % live.length]!;
        await settle(pids);
        const r = await measure(target, share, round, settings);
        runs.push(r);
        process.stdout.write(`${line(r)}\n`);
      }
    }
  }
  return runs;
}

const HEADER = '| target | rate | round | p50 ms | p90 ms | p99 ms | max ms | late | failed | CPU ms/req | RSS MB before → during → after | loop delay p99/max ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n';

/** The table again, by rate then target, then Bascule against each peer round by round, and the verdicts. */
export function reportOpenLoop(runs: OpenRun[], settings: OpenLoopSettings): void {
  process.stdout.write(`\nOpen loop, by rate (latency from the due time; "late": due while all ${settings.connections} connections were busy):\n\n${HEADER}`);
  const sorted = [...runs].sort((a, b) => a.share - b.share || a.target.localeCompare(b.target) || a.round - b.round);
  for (const r of sorted) process.stdout.write(`${line(r)}\n`);
  const bascule = runs.filter((r) => r.target === 'bascule');
  if (bascule.length === 0) return;
  process.stdout.write('\n| rate | round | Bascule vs | p99 difference ms | max difference ms | CPU ratio |\n|---|---:|---|---:|---:|---:|\n');
  for (const b of bascule) {
    for (const other of runs.filter((r) => r.share === b.share && r.round === b.round && r.target !== 'bascule')) {
      const cpu = b.cpuMsPerReq !== null && other.cpuMsPerReq ? (b.cpuMsPerReq / other.cpuMsPerReq).toFixed(2) : 'n/a';
      process.stdout.write(`| ${Math.round(b.share * 100)} % | ${b.round + 1} | ${other.target} | ${signed(b.latency.p99 - other.latency.p99)} | ${signed(b.latency.max - other.latency.max)} | ${cpu} |\n`);
    }
  }
  // Issue 17's targets at 25-75 % of capacity, on a quiet machine, in every round.
  process.stdout.write('\n');
  for (const b of bascule) {
    const bare = runs.find((r) => r.target === 'bare-proxy' && r.share === b.share && r.round === b.round);
    if (!bare) continue;
    const p99Gap = b.latency.p99 - bare.latency.p99;
    const cpuRatio = b.cpuMsPerReq !== null && bare.cpuMsPerReq ? b.cpuMsPerReq / bare.cpuMsPerReq : NaN;
    const verdicts = [`p99 ${signed(p99Gap)} ms (<= +2): ${p99Gap <= 2 ? 'met' : 'MISSED'}`, `max ${ms(b.latency.max)} ms (< 60): ${b.latency.max < 60 ? 'met' : 'MISSED'}`, `CPU ${cpuRatio.toFixed(2)}× (<= 1.25): ${cpuRatio <= 1.25 ? 'met' : 'MISSED'}`];
    process.stdout.write(`target at ${Math.round(b.share * 100)} %, round ${b.round + 1}: ${verdicts.join(', ')}\n`);
  }
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : ''}${ms(v)}`;
}
