// `nx run lab:bench`: how many requests per second one lab upstream answers on loopback with no simulated
// latency, so that benchmarks through the gateway know the lab is not their bottleneck. Side by side in the
// same run, a bare node:http server answering the same bytes (the ceiling on this machine, with the load
// generator in the same process for both); the ratio says what the lab's realism costs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { startLab } from '../src/index.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);

interface Target {
  label: string;
  upstream: 'groq' | 'faster-whisper' | 'coqui';
  path: string;
  body: string;
  headers: Record<string, string>;
}

const TARGETS: Target[] = [
  {
    label: 'groq chat completion',
    upstream: 'groq',
    path: '/openai/v1/chat/completions',
    body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Un texte sur le chat' }], max_tokens: 60 }),
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
  },
  {
    label: 'coqui synthesize (WAV)',
    upstream: 'coqui',
    path: '/synthesize',
    body: JSON.stringify({ text: 'Le petit chat dort.', voice: 'fr-female-clear', speed: 1 }),
    headers: { 'content-type': 'application/json' },
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

/** Closed-loop load: CONNECTIONS workers posting `target` to `origin` for DURATION_MS. */
async function load(origin: string, target: Target): Promise<Measured> {
  const pool = new Pool(origin, { connections: CONNECTIONS, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const response = await pool.request({ method: 'POST', path: target.path, body: target.body, headers: target.headers });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) failures += 1;
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / (DURATION_MS / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

/** A server that drains the request and answers the lab's own response bytes, with no logic. */
async function startBare(origin: string, target: Target): Promise<{ origin: string; server: Server }> {
  const sample = await fetch(`${origin}${target.path}`, { method: 'POST', body: target.body, headers: target.headers, signal: AbortSignal.timeout(10_000) });
  const body = Buffer.from(await sample.arrayBuffer());
  const type = sample.headers.get('content-type') ?? 'application/octet-stream';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function line(label: string, m: Measured): string {
  return `${label.padEnd(34)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  (${CONNECTIONS} connections, ${m.failures} failures)`;
}

const lab = await startLab({ latencyScale: 0 });
try {
  for (const target of TARGETS) {
    const origin = lab.upstreams[target.upstream].baseUrl;
    const bare = await startBare(origin, target);
    try {
      const ofLab = await load(origin, target);
      const ofBare = await load(bare.origin, target);
      console.log(line(`lab: ${target.label}`, ofLab));
      console.log(line(`bare: same bytes`, ofBare));
      console.log(`  ratio lab / bare throughput: ${(ofLab.rps / ofBare.rps).toFixed(2)}`);
    } finally {
      await new Promise((resolve) => bare.server.close(resolve));
    }
  }
} finally {
  await lab.close();
}
