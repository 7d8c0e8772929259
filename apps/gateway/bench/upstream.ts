// A fixed-latency OpenAI-compatible upstream for the benchmark: every POST answers a small chat completion
// after LATENCY_MS. Prints its URL as one JSON line on stdout.
import { createServer } from 'node:http';

const latencyMs = Number(process.env.LATENCY_MS ?? 20);
const body = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'llama-3.1-8b-instant',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Le chat dort sur le tapis.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, latencyMs);
  });
});
server.keepAliveTimeout = 65_000;
// A deep accept queue, like every server of the bench: 1 000 connections opened at once must not overflow
// the default (511) and wait for SYN retransmits, which would show up as seconds of p99 for whoever is behind.
server.listen({ port: 0, host: '127.0.0.1', backlog: Number(process.env.BACKLOG ?? 4096) }, () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
