// The floor of the stack Bascule is built on: Fastify in front, undici behind, the JSON parsed on the way in
// and the answer parsed and re-serialised on the way out, and nothing else (no key, no rate limit, no
// routing, no metrics). What separates Bascule from this target is the cost of its own features; what
// separates this target from the bare proxy is the cost of the framework and of handling JSON at all.
// Prints its URL as one JSON line on stdout.
import Fastify from 'fastify';
import { Agent, request } from 'undici';

const upstream = process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1';
const agent = new Agent({ keepAliveTimeout: 10_000, pipelining: 1 });
const app = Fastify({ logger: false });

interface ChatBody {
  model?: string;
  messages?: unknown;
  max_tokens?: number;
}

app.post('/v1/chat/completions', async (req) => {
  const body = req.body as ChatBody;
  const answer = await request(`${upstream}/v1/chat/completions`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: body.model, messages: body.messages, max_tokens: body.max_tokens }),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const completion = (await answer.body.json()) as Record<string, unknown>;
  return { ...completion, model: body.model };
});

const url = await app.listen({ host: '127.0.0.1', port: 0, backlog: Number(process.env.BACKLOG ?? 4096) });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
