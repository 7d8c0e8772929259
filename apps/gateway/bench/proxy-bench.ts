// `nx run gateway:bench`: throughput and latency of Bascule beside a bare node:http proxy, a minimal
// Fastify + undici JSON proxy (the floor of Bascule's own stack), the Portkey gateway and the upstream itself,
// all on loopback against one fixed-latency OpenAI-compatible upstream, at 200 and 1 000 connections. Each
// server runs in its own process; autocannon drives them from this one, which runs nothing else (the load
// generator never shares a measured process's event loop). Every target gets the same body, the same headers
// and the same connections; each server listens with the same accept queue (BACKLOG) except Portkey, whose
// start script has no such option.
// Env: LATENCY_MS (20), DURATION_S (8 per run), WARMUP_S (2), CONNECTIONS ("200,1000"), ROUNDS (1: with more,
// the targets take turns round after round, each round starting one target further along, and the round with
// the median throughput is reported), TARGETS (all: upstream,bare-proxy,fastify-undici,portkey,bascule).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const require = createRequire(import.meta.url);
const latencyMs = Number(process.env.LATENCY_MS ?? 20);
const durationS = Number(process.env.DURATION_S ?? 8);
const warmupS = Number(process.env.WARMUP_S ?? 2);
const connectionLevels = (process.env.CONNECTIONS ?? '200,1000').split(',').map(Number);
const rounds = Math.max(1, Number(process.env.ROUNDS ?? 1));
const only = process.env.TARGETS ? new Set(process.env.TARGETS.split(',')) : null;
// V8 flags for every Node process of the bench, the same for all (the upstream, the bare proxy, Portkey,
// Bascule). A larger young generation means fewer scavenges for a process that allocates per request;
// docs/benchmarks.md gives the figures with and without it. NODE_FLAGS="" runs Node's defaults.
const nodeFlags = (process.env.NODE_FLAGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
const children: ChildProcess[] = [];

const chatBody = JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Écris une phrase avec le mot « chat ».' }], max_tokens: 32 });

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid?: number;
}

/** The same headers for every target: Bascule's client key and student, which the others ignore or pass on. */
const commonHeaders = { 'content-type': 'application/json', authorization: 'Bearer bench-client-key', 'x-student-id': 'bench-student-1' };

interface Result {
  target: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time of the target's process per request (user + system), when its pid is known. */
  cpuMsPerReq: number | null;
}

/** Starts a TypeScript or JS server in its own process and waits for its first JSON line (its URL). */
async function startProcess(args: string[], env: Record<string, string> = {}): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    clearTimeout(timer);
    const { url } = JSON.parse(line) as { url: string };
    return { url, pid: child.pid! };
  }
  throw new Error(`process ${args.join(' ')} exited before printing its URL`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startPortkey(upstream: string): Promise<Target> {
  const port = await freePort();
  const entry = require.resolve('@portkey-ai/gateway/build/start-server.js');
  const child = spawn(process.execPath, [...nodeFlags, entry, `--port=${port}`, '--headless'], { env: { ...process.env, NODE_ENV: 'production' }, stdio: 'ignore' });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: 'portkey',
    url,
    pid: child.pid!,
    headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream}/v1` },
  };
}

async function check(target: Target): Promise<string | null> {
  try {
    const res = await fetch(`${target.url}/v1/chat/completions`, { method: 'POST', headers: { ...commonHeaders, ...target.headers }, body: chatBody, signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    return res.status === 200 && text.includes('chat.completion') ? null : `HTTP ${res.status}: ${text.slice(0, 200)}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function run(target: Target, connections: number, seconds: number): Promise<Result> {
  const cpuBefore = cpuMs(target.pid);
  const r = await autocannon({
    url: `${target.url}/v1/chat/completions`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { ...commonHeaders, ...target.headers },
    body: chatBody,
    timeout: 10,
  });
  const cpuAfter = cpuMs(target.pid);
  const cpuMsPerReq = cpuBefore === null || cpuAfter === null || r.requests.total === 0 ? null : (cpuAfter - cpuBefore) / r.requests.total;
  return { target: target.name, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, cpuMsPerReq };
}

/**
 * Waits until none of these processes uses more than 2 % of a core over a quarter of a second (at most 20 s):
 * a server still finishing the previous target's requests would otherwise steal the CPU of the next one.
 */
async function settle(pids: number[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let before = pids.map(cpuMs);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = pids.map(cpuMs);
    if (now.every((ms, k) => ms === null || before[k] === null || ms - before[k]! <= 5)) return;
    before = now;
  }
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function main(): Promise<void> {
  const tsx = ['--import', 'tsx'];
  const up = await startProcess([...tsx, here('./upstream.ts')], { LATENCY_MS: String(latencyMs) });
  const server = async (name: string, file: string, headers: Record<string, string> = {}): Promise<Target> => {
    const started = await startProcess([...tsx, here(file)], { UPSTREAM_URL: up.url });
    return { name, url: started.url, pid: started.pid, headers };
  };
  const starters: Record<string, () => Promise<Target>> = {
    upstream: async () => ({ name: 'upstream', url: up.url, pid: up.pid, headers: {} }),
    'bare-proxy': () => server('bare-proxy', './bare-proxy.ts'),
    'fastify-undici': () => server('fastify-undici', './fastify-floor.ts'),
    portkey: () => startPortkey(up.url),
    bascule: () => server('bascule', './bascule-server.ts'),
  };
  const unknown = only ? [...only].filter((name) => !(name in starters)) : [];
  if (unknown.length > 0) throw new Error(`TARGETS: unknown target ${unknown.join(', ')} (expected some of ${Object.keys(starters).join(', ')})`);
  const targets: Target[] = [];
  for (const [name, start] of Object.entries(starters)) if (!only || only.has(name)) targets.push(await start());
  const pids = [up.pid, ...targets.map((t) => t.pid).filter((pid): pid is number => pid !== undefined)];
  const live: Target[] = [];
  for (const t of targets) {
    const problem = await check(t);
    if (problem) process.stdout.write(`! ${t.name} skipped: ${problem}\n`);
    else live.push(t);
  }
  process.stdout.write(`upstream latency ${latencyMs} ms, ${durationS} s per run after ${warmupS} s warm-up, ${rounds} round(s), node ${process.version} ${nodeFlags.join(' ') || '(default flags)'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const results: Result[] = [];
  for (const connections of connectionLevels) {
    const rounds_: Result[][] = live.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // Each round starts one target further along, so that no target always runs first or last. The cyclic
      // order stays the same, so each target always follows the same one: every target starts only once the
      // servers are idle again (Portkey goes on working through its backlog for seconds after autocannon stops).
      const order = live.map((_, k) => (k + round) % live.length);
      for (const i of order) {
        const t = live[i]!;
        await settle(pids);
        await run(t, connections, warmupS);
        const r = await run(t, connections, durationS);
        rounds_[i]!.push(r);
        const cpu = r.cpuMsPerReq === null ? '' : `  cpu ${r.cpuMsPerReq.toFixed(3)} ms/req`;
        process.stdout.write(`  ${t.name.padEnd(14)} c=${String(connections).padEnd(5)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors}  non-2xx ${r.non2xx}${cpu}  load ${loadavg()[0]!.toFixed(2)}\n`);
      }
    }
    for (const runs of rounds_) results.push(median(runs));
  }
  report(results, live);
  const bascule = live.find((t) => t.name === 'bascule');
  if (bascule) await basculeMetrics(bascule.url);
}

/** The run with the median throughput (the upper one of the middle two for an even count). */
function median(runs: Result[]): Result {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(results: Result[], live: Target[]): void {
  process.stdout.write('\n| target | connections | req/s | p50 ms | p99 ms | errors | non-2xx | CPU ms/req |\n|---|---:|---:|---:|---:|---:|---:|---:|\n');
  for (const r of results) process.stdout.write(`| ${r.target} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.cpuMsPerReq?.toFixed(3) ?? '–'} |\n`);
  const bascule = live.find((t) => t.name === 'bascule');
  if (!bascule) return;
  process.stdout.write('\n| connections | vs | throughput ratio | p99 difference (ms) |\n|---:|---|---:|---:|\n');
  for (const c of connectionLevels) {
    const b = results.find((r) => r.target === 'bascule' && r.connections === c)!;
    for (const other of results.filter((r) => r.connections === c && r.target !== 'bascule')) {
      process.stdout.write(`| ${c} | ${other.target} | ${(b.rps / other.rps).toFixed(2)} | ${b.p99 - other.p99 >= 0 ? '+' : ''}${b.p99 - other.p99} |\n`);
    }
  }
  // The target of issue 3: at least 70 % of the bare proxy's throughput, p99 within 5 ms of its p99.
  process.stdout.write('\n');
  for (const c of connectionLevels) {
    const b = results.find((r) => r.target === 'bascule' && r.connections === c);
    const bare = results.find((r) => r.target === 'bare-proxy' && r.connections === c);
    if (!b || !bare) continue;
    const ratio = b.rps / bare.rps;
    const p99Gap = b.p99 - bare.p99;
    const met = ratio >= 0.7 && p99Gap <= 5;
    process.stdout.write(`target at ${c} connections: throughput ${(ratio * 100).toFixed(0)} % of the bare proxy (>= 70 %), p99 ${p99Gap >= 0 ? '+' : ''}${p99Gap} ms (<= +5 ms): ${met ? 'met' : 'MISSED'}\n`);
  }
  const mem = rssMb(bascule.pid!);
  process.stdout.write(`\nBascule RSS after the runs: ${mem.rss} MB (peak ${mem.peak} MB)\n`);
}

/** Bascule's own account of the runs: upstream attempts by route and outcome, and its mean overhead. */
async function basculeMetrics(url: string): Promise<void> {
  const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text(), () => '');
  const lines = text.split('\n');
  process.stdout.write('\nBascule upstream attempts (all runs, warm-ups included):\n');
  for (const line of lines.filter((l) => l.startsWith('bascule_upstream_attempts_total{'))) process.stdout.write(`  ${line.replace('bascule_upstream_attempts_total', '')}\n`);
  const shadow = lines.filter((l) => l.startsWith('bascule_shadow_requests_total{component="llm"'));
  if (shadow.length > 0) process.stdout.write(`Bascule shadow comparison (llm): ${shadow.map((l) => l.replace(/^.*outcome="(\w+)"\} /, '$1 ')).join(', ')}\n`);
  const value = (name: string) => Number(lines.find((l) => l.startsWith(`${name}{component="llm"}`))?.split(' ')[1] ?? NaN);
  const mean = value('bascule_overhead_seconds_sum') / value('bascule_overhead_seconds_count');
  if (Number.isFinite(mean)) process.stdout.write(`Bascule overhead (X-Bascule-Overhead-Ms): mean ${(mean * 1000).toFixed(2)} ms per request\n`);
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
}
