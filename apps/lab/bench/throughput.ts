// `nx run lab:bench`: how many requests per second one lab upstream answers on loopback with no simulated
// latency, so that benchmarks through the gateway know the lab is not their bottleneck.
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

const lab = await startLab({ latencyScale: 0 });
try {
  for (const target of TARGETS) {
    const pool = new Pool(lab.upstreams[target.upstream].baseUrl, { connections: CONNECTIONS, headersTimeout: 10_000, bodyTimeout: 10_000 });
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
    const rps = latencies.length / (DURATION_MS / 1000);
    console.log(`${target.label.padEnd(26)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${percentile(latencies, 99).toFixed(1)} ms  (${CONNECTIONS} connections, ${failures} failures)`);
  }
} finally {
  await lab.close();
}
