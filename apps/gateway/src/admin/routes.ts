// The admin API of the design, under /admin/v1: components, weight, promote / rollback / resume,
// criteria, history, costs, quality results, the audit log and the event stream. Bearer admin token on every route.
import { COMPONENTS, GateError, TransitionError, type Component } from '@bascule/routing';
import { ActionRequestSchema, PROVIDERS_BY_COMPONENT, QualityResultRequestSchema, WeightRequestSchema, type CostPlan } from '@bascule/contracts';
import { testNotification } from '../notify/index.ts';
import { historyRange } from './history.ts';
import { monthParam } from './month.ts';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Migrations } from '../migration/index.ts';
import { createTokenCheck } from './auth.ts';
import { AdminError, fromZod, sendError } from './errors.ts';
import { AdminStreams, type StreamOptions } from './stream.ts';

export interface AdminApiOptions {
  runtime: Migrations;
  adminToken: string;
  stream?: Partial<StreamOptions>;
  /** The plan's month priced by the config: sent with every month's costs. */
  costPlan?: CostPlan;
}

const ACTIONS = ['promote', 'rollback', 'resume'] as const;

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw fromZod(result.error, body ?? {});
  return result.data;
}

function isJson(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Registers the admin API as an encapsulated plugin; returns the stream registry (closed on shutdown). */
export async function registerAdminApi(app: FastifyInstance, options: AdminApiOptions): Promise<AdminStreams> {
  const { runtime } = options;
  const streams = new AdminStreams(runtime, { metricsIntervalMs: options.stream?.metricsIntervalMs ?? 5_000, heartbeatMs: options.stream?.heartbeatMs ?? 15_000 });
  const tokenOk = createTokenCheck(options.adminToken);
  app.addHook('preClose', (done) => {
    streams.closeAll();
    done();
  });

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        if (!tokenOk(request.headers.authorization)) {
          reply.header('www-authenticate', 'Bearer realm="bascule-admin"');
          return sendError(reply, 'unauthorized', 'expected Authorization: Bearer <admin token>');
        }
      });
      admin.addHook('preValidation', async (request, reply) => {
        if ((request.method === 'PUT' || request.method === 'POST') && hasBody(request) && !isJson(request)) {
          return sendError(reply, 'unsupported_media_type', `expected Content-Type: application/json, got ${request.headers['content-type'] ?? 'none'}`);
        }
      });
      admin.setErrorHandler((error: FastifyError, request, reply) => {
        if (error instanceof AdminError) return sendError(reply, error.code, error.message, error.field);
        if (error instanceof GateError) return sendError(reply, 'blocked', error.message, undefined, { blockers: error.blockers.map((b) => ({ ...b })) });
        if (error instanceof TransitionError) return sendError(reply, 'conflict', error.message);
        if (error instanceof RangeError || error instanceof TypeError) {
          const field = /^(\w+):/.exec(error.message)?.[1];
          if (field) return sendError(reply, 'invalid_request', error.message, field);
        }
        const status = error.statusCode ?? 500;
        if (status === 415) return sendError(reply, 'unsupported_media_type', 'expected Content-Type: application/json');
        if (status === 413) return sendError(reply, 'payload_too_large', error.message);
        if (status === 400) return sendError(reply, 'invalid_request', error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? `body: malformed JSON (${error.message})` : error.message, 'body');
        if (status >= 400 && status < 500) return sendError(reply, status === 404 ? 'not_found' : 'invalid_request', error.message);
        request.log.error({ err: error }, 'admin API error');
        return sendError(reply, 'internal_error', 'internal error');
      });
      admin.setNotFoundHandler((request, reply) => sendError(reply, 'not_found', `no admin route ${request.method} ${request.url.split('?')[0]}`));

      const component = (request: FastifyRequest): Component => {
        const name = (request.params as { component: string }).component;
        if (!(COMPONENTS as readonly string[]).includes(name)) throw new AdminError('not_found', `unknown component "${name}": expected one of ${COMPONENTS.join(', ')}`);
        if (!runtime.has(name)) throw new AdminError('not_found', `component "${name}" is not configured on this gateway`);
        return name;
      };

      admin.get('/components', async () => ({ components: runtime.components().map((c) => runtime.summary(c)) }));
      admin.get('/components/:component', async (request) => runtime.summary(component(request)));
      admin.get('/components/:component/criteria', async (request) => runtime.criteria(component(request)));
      admin.get('/components/:component/history', async (request) => {
        const c = component(request);
        return runtime.history(c, historyRange((request.query as Record<string, unknown>).range));
      });

      admin.put('/components/:component/weight', async (request) => {
        const c = component(request);
        const body = parse(WeightRequestSchema, request.body);
        runtime.setWeight(c, body.weight, body.reason, 'admin', body.override);
        return runtime.summary(c);
      });
      for (const action of ACTIONS) {
        admin.post(`/components/:component/${action}`, async (request) => {
          const c = component(request);
          const body = parse(ActionRequestSchema, request.body);
          runtime.act(c, action, body.reason, 'admin', body.override);
          return runtime.summary(c);
        });
      }
      admin.post('/components/:component/quality', async (request, reply) => {
        const c = component(request);
        const body = parse(QualityResultRequestSchema, request.body);
        if (!PROVIDERS_BY_COMPONENT[c].includes(body.provider)) {
          throw new AdminError('invalid_request', `provider: expected a provider of ${c} (${PROVIDERS_BY_COMPONENT[c].join(', ')}), got "${body.provider}"`, 'provider');
        }
        const result = runtime.recordQuality(c, { ...body, at: body.at === undefined ? undefined : Date.parse(body.at) });
        return reply.code(201).send(result);
      });

      admin.get('/costs', async (request) => ({ ...runtime.costs(monthParam((request.query as Record<string, unknown>).month)), ...(options.costPlan ? { plan: options.costPlan } : {}) }));

      // A message to every channel now, whatever its routing, with how each went (`bascule notify test`).
      admin.post('/notifications/test', async () => {
        const channels = await runtime.notifications.test(testNotification(Date.now(), 'an operator'));
        return { channels };
      });

      admin.get('/events', async (request) => {
        const q = request.query as Record<string, string | undefined>;
        const limit = q.limit === undefined ? 50 : Number(q.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AdminError('invalid_request', `limit: expected a whole number between 1 and 1000, got "${q.limit}"`, 'limit');
        const before = q.before === undefined ? undefined : Number(q.before);
        if (before !== undefined && (!Number.isInteger(before) || before < 1)) throw new AdminError('invalid_request', `before: expected an event id, got "${q.before}"`, 'before');
        let c: Component | undefined;
        if (q.component !== undefined) {
          if (!(COMPONENTS as readonly string[]).includes(q.component)) throw new AdminError('invalid_request', `component: expected one of ${COMPONENTS.join(', ')}, got "${q.component}"`, 'component');
          c = q.component as Component;
        }
        const events = runtime.events({ component: c, before, limit: limit + 1 });
        const page = events.slice(0, limit);
        return { events: page.map((e) => runtime.eventView(e)), nextBefore: events.length > limit ? String(page.at(-1)!.id) : null };
      });

      admin.get('/stream', (request, reply) => streams.handle(request, reply));
    },
    { prefix: '/admin/v1' },
  );
  return streams;
}
