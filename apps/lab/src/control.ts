// The lab's control API: `GET /lab/v1/upstreams`, `GET /lab/v1/upstreams/{name}`,
// `PUT /lab/v1/upstreams/{name}/fault` (body validated by @bascule/contracts' FaultRequestSchema),
// `PUT /lab/v1/upstreams/{name}/service` (ServiceRequestSchema: the service time a self-hosted stand-in
// reports), `DELETE /lab/v1/faults` (every upstream back to `ok`), `GET /healthz`.
import Fastify, { type FastifyInstance } from 'fastify';
import { FaultRequestSchema, ServiceRequestSchema } from '@bascule/contracts';
import type { z } from 'zod';
import { UPSTREAM_NAMES, isUpstreamName, type UpstreamName } from './names.ts';
import type { Upstream } from './upstream.ts';

function error(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

/** A 400 body naming the first bad field of a control request. */
function invalid(zodError: z.ZodError, what: string) {
  const issue = zodError.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : issue?.path.length ? issue.path.join('.') : 'body';
  return error('invalid_request', `${field}: ${issue?.message ?? what}`, field);
}

export function createControlServer(upstreams: ReadonlyMap<UpstreamName, Upstream>): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    void reply.code(status).send(error(status === 400 ? 'invalid_request' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal_error' : 'invalid_request', err.message));
  });
  app.setNotFoundHandler((request, reply) => void reply.code(404).send(error('not_found', `no route ${request.method} ${request.url}`)));

  const find = (name: string): Upstream | undefined => (isUpstreamName(name) ? upstreams.get(name) : undefined);
  const unknown = (name: string) => error('not_found', `unknown upstream "${name}"; expected one of ${UPSTREAM_NAMES.join(', ')}`, 'name');

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/lab/v1/upstreams', async () => ({ upstreams: [...upstreams.values()].map((u) => u.state()) }));
  app.get<{ Params: { name: string } }>('/lab/v1/upstreams/:name', async (request, reply) => {
    const upstream = find(request.params.name);
    return upstream ? upstream.state() : reply.code(404).send(unknown(request.params.name));
  });
  app.put<{ Params: { name: string } }>('/lab/v1/upstreams/:name/fault', async (request, reply) => {
    const upstream = find(request.params.name);
    if (!upstream) return reply.code(404).send(unknown(request.params.name));
    const parsed = FaultRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error, 'invalid fault'));
    return upstream.setFault(parsed.data);
  });
  app.put<{ Params: { name: string } }>('/lab/v1/upstreams/:name/service', async (request, reply) => {
    const upstream = find(request.params.name);
    if (!upstream) return reply.code(404).send(unknown(request.params.name));
    const parsed = ServiceRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error, 'invalid service time'));
    if (!upstream.setService(parsed.data.busyMs)) {
      return reply.code(400).send(error('invalid_request', `name: "${upstream.name}" stands in for a paid API, which reports no service time; expected faster-whisper, coqui, trocr or vps-llm`, 'name'));
    }
    return upstream.state();
  });
  app.delete('/lab/v1/faults', async () => {
    const states = await Promise.all([...upstreams.values()].map((u) => u.setFault({ mode: 'ok' })));
    return { upstreams: states };
  });
  return app;
}
