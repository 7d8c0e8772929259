// What the bench reads from outside the measured processes: their CPU time and memory (/proc), the kernel's
// count of connections its accept queues dropped, and the gateway's own event-loop delay (/metrics).
import { readFileSync } from 'node:fs';

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null; // the process is gone
  }
}

/** Resident memory of a process now and its peak so far, MB. */
export function rssMb(pid: number | undefined): { rss: number; peak: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every 250 ms while a run lasts, to report the highest value seen during it. */
export function sampleRss(pid: number | undefined): () => number | null {
  let max: number | null = rssMb(pid)?.rss ?? null;
  const timer = setInterval(() => {
    const now = rssMb(pid)?.rss;
    if (now !== undefined && (max === null || now > max)) max = now;
  }, 250);
  return () => {
    clearInterval(timer);
    return max;
  };
}

/**
 * The kernel's TcpExt ListenOverflows and ListenDrops (/proc/net/netstat): connections whose handshake
 * completed while the server's accept queue was full. The client believes it is connected and its request
 * waits for retransmits (seconds), or, past its own timeout, fails.
 */
export function listenDrops(): { overflows: number; drops: number } {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  const names = lines[0]!.split(' ');
  const values = lines[1]!.split(' ');
  const value = (name: string) => Number(values[names.indexOf(name)] ?? 0);
  return { overflows: value('ListenOverflows'), drops: value('ListenDrops') };
}

/**
 * Waits until none of these processes uses more than 2 % of a core over a quarter of a second (at most 20 s):
 * a server still finishing the previous target's requests would otherwise steal the CPU of the next one.
 */
export async function settle(pids: number[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let before = pids.map(cpuMs);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = pids.map(cpuMs);
    if (now.every((ms, k) => ms === null || before[k] === null || ms - before[k]! <= 5)) return;
    before = now;
  }
}

export interface LoopDelay {
  /** The highest event-loop delay seen between two scrapes, ms (for a histogram: its bucket's upper bound). */
  maxMs: number;
  p99Ms: number;
  source: string;
}

/** One scrape of /metrics, parsed into `name{labels}` → value. */
export async function scrapeMetrics(url: string): Promise<Map<string, number> | null> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return null;
    const samples = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return samples;
  } catch {
    return null;
  }
}

const LOOP_HISTOGRAM = 'bascule_event_loop_delay_seconds';

/**
 * The target's event-loop delay over a run, from two scrapes of its /metrics: Bascule's own histogram
 * (`bascule_event_loop_delay_seconds`, bucket counts subtracted) when it exports one; else prom-client's
 * default `nodejs_eventloop_lag_max_seconds` / `_p99_seconds`, which cover the time since the previous
 * scrape (prom-client resets its monitor on each scrape, so `before` must be a scrape taken at the start).
 * Null for a target without /metrics.
 */
export function loopDelayBetween(before: Map<string, number> | null, after: Map<string, number> | null): LoopDelay | null {
  if (!before || !after) return null;
  const buckets = [...after.entries()].filter(([k]) => k.startsWith(`${LOOP_HISTOGRAM}_bucket{`));
  if (buckets.length > 0) {
    const delta = buckets
      .map(([k, v]) => ({ le: bucketBound(/le="([^"]+)"/.exec(k)?.[1]), count: v - (before.get(k) ?? 0) }))
      .filter((b) => !Number.isNaN(b.le))
      .sort((a, b) => a.le - b.le);
    const total = delta[delta.length - 1]?.count ?? 0;
    if (total === 0) return null;
    const bound = (share: number) => (delta.find((b) => b.count >= share * total)?.le ?? Infinity) * 1_000;
    const maxBucket = delta.find((b) => b.count === total)!;
    return { maxMs: maxBucket.le * 1_000, p99Ms: bound(0.99), source: LOOP_HISTOGRAM };
  }
  const max = after.get('nodejs_eventloop_lag_max_seconds');
  const p99 = after.get('nodejs_eventloop_lag_p99_seconds');
  if (max === undefined || p99 === undefined) return null;
  return { maxMs: max * 1_000, p99Ms: p99 * 1_000, source: 'nodejs_eventloop_lag' };
}

function bucketBound(le: string | undefined): number {
  return le === '+Inf' ? Infinity : Number(le ?? NaN);
}
