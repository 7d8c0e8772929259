// The admin API of the design, under /admin/v1: components, weight, promote / rollback / resume,
// criteria, history, costs, quality results, the audit log and the event stream. Bearer admin token on every route.
import { COMPONENTS, GateError, TransitionError, type Component } from '@bascule/routing';
import { ActionRequestSchema, PROVIDERS_BY_COMPONENT, QualityResultRequestSchema, ShadowSettingsRequestSchema, WeightRequestSchema, type CostPlan, type GatewayConfig } from '@bascule/contracts';
import { testNotification } from '../notify/index.ts';
import { historyRange } from './history.ts';
import { readSatisfaction } from '../satisfaction/view.ts';
import { qualityFilter, qualityHistory, qualityRange } from './quality.ts';
import { monthParam } from './month.ts';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Migrations } from '../migration/index.ts';
import { StaleStateError, StoreUnavailableError, type GatewayStore } from '../store/index.ts';
import { jsonContentTypeProblem } from '../http/media.ts';
import type { AccessOptions } from './access.ts';
import { createAdminGate } from './auth.ts';
import { AdminError, fromZod, sendError } from './errors.ts';
import { AdminStreams, type StreamOptions } from './stream.ts';
import type { ShadowControl } from '../shadow/index.ts';

export interface AdminApiOptions {
  runtime: Migrations;
  /** Where the quality results are read from (the runtime's store, health-tracked). */
  store: Pick<GatewayStore, 'qualityResults'>;
  /** The gateway's clock (the end of the default quality range); Date.now when absent. */
  now?: () => number;
  adminToken: string;
  /** Host names, Cloudflare Access, limits and stream caps (`admin`), replicas and the client address header (`server`). */
  config: Pick<GatewayConfig, 'admin' | 'server' | 'auth'>;
  /** Where the Access certificates are fetched from (tests); default the team domain's. */
  access?: AccessOptions;
  stream?: Partial<StreamOptions>;
  /** The plan's month priced by the config: sent with every month's costs. */
  costPlan?: CostPlan;
  /** The gateway replicas and their last heartbeats (`GET /admin/v1/replicas`). */
  replicas?: () => Promise<object[]>;
  /** The shadow comparison's settings (GET/PUT .../shadow); those routes answer 404 without it. */
  shadow?: ShadowControl;
}

const ACTIONS = ['promote', 'rollback', 'resume'] as const;

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw fromZod(result.error, body ?? {});
  return result.data;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Registers the admin API as an encapsulated plugin; returns the stream registry (closed on shutdown). */
export async function registerAdminApi(app: FastifyInstance, options: AdminApiOptions): Promise<AdminStreams> {
  const { runtime } = options;
  const { streams: caps } = options.config.admin;
  const streams = new AdminStreams(runtime, { metricsIntervalMs: options.stream?.metricsIntervalMs ?? 5_000, heartbeatMs: options.stream?.heartbeatMs ?? 15_000, perCaller: caps.perCaller, total: caps.total });
  const gate = createAdminGate({ config: options.config, adminToken: options.adminToken, ...(options.access ? { access: options.access } : {}) });
  // At the root, so it also covers the dashboard's files; it returns at once for every other path.
  app.decorateRequest('adminActor', null);
  app.addHook('onRequest', gate.edge);
  app.addHook('preClose', (done) => {
    streams.closeAll();
    done();
  });

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', gate.token);
      // Before the body is parsed: the JSON parser would read a UTF-16 body as UTF-8 and call it malformed.
      admin.addHook('onRequest', async (request, reply) => {
        const problem = (request.method === 'PUT' || request.method === 'POST') && hasBody(request) ? jsonContentTypeProblem(request.headers['content-type']) : null;
        if (problem !== null) return sendError(reply, 'unsupported_media_type', problem, 'content-type');
      });
      admin.setErrorHandler((error: FastifyError, request, reply) => {
        if (error instanceof AdminError) return sendError(reply, error.code, error.message, error.field);
        if (error instanceof GateError) return sendError(reply, 'blocked', error.message, undefined, { blockers: error.blockers.map((b) => ({ ...b })) });
        if (error instanceof TransitionError || error instanceof StaleStateError) return sendError(reply, 'conflict', error.message);
        // The store is away: routing goes on with the last state; a change cannot be recorded, so it is refused.
        if (error instanceof StoreUnavailableError) {
          reply.header('retry-after', '5');
          return sendError(reply, 'unavailable', `${error.message}; routing goes on with the last known state, retry when the store is back`);
        }
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

      admin.get('/components', async () => ({ components: await Promise.all(runtime.components().map((c) => runtime.summary(c))) }));
      admin.get('/components/:component', async (request) => runtime.summary(component(request)));
      admin.get('/components/:component/criteria', async (request) => runtime.criteria(component(request)));
      admin.get('/components/:component/history', async (request) => {
        const c = component(request);
        return runtime.history(c, historyRange((request.query as Record<string, unknown>).range));
      });
      admin.get('/components/:component/satisfaction', async (request) => {
        const c = component(request);
        return readSatisfaction(runtime.ratings, c, historyRange((request.query as Record<string, unknown>).range), Date.now());
      });

      admin.put('/components/:component/weight', async (request) => {
        const c = component(request);
        const body = parse(WeightRequestSchema, request.body);
        await runtime.setWeight(c, body.weight, body.reason, request.adminActor ?? 'admin', body.override);
        return runtime.summary(c);
      });
      for (const action of ACTIONS) {
        admin.post(`/components/:component/${action}`, async (request) => {
          const c = component(request);
          const body = parse(ActionRequestSchema, request.body);
          await runtime.act(c, action, body.reason, request.adminActor ?? 'admin', body.override);
          return runtime.summary(c);
        });
      }
      admin.post('/components/:component/quality', async (request, reply) => {
        const c = component(request);
        const body = parse(QualityResultRequestSchema, request.body);
        if (!PROVIDERS_BY_COMPONENT[c].includes(body.provider)) {
          throw new AdminError('invalid_request', `provider: expected a provider of ${c} (${PROVIDERS_BY_COMPONENT[c].join(', ')}), got "${body.provider}"`, 'provider');
        }
        const { note, ...result } = body;
        const recorded = await runtime.recordQuality(c, { ...result, at: body.at === undefined ? undefined : Date.parse(body.at), ...(note ? { note } : {}) });
        return reply.code(201).send(recorded);
      });
      admin.get('/components/:component/quality', async (request) => {
        const c = component(request);
        const plan = runtime.plan(c);
        const query = request.query as Record<string, unknown>;
        return qualityHistory(options.store, c, [plan.productionProvider, plan.mvpProvider], qualityRange(query, (options.now ?? Date.now)()), qualityFilter(query));
      });

      const shadow = (): ShadowControl => {
        if (!options.shadow) throw new AdminError('not_found', 'this gateway runs no shadow comparison');
        return options.shadow;
      };
      admin.get('/components/:component/shadow', async (request) => shadow().view(component(request)));
      // Per gateway: with several replicas, PUT to each (or set `components.<c>.shadow` in the config).
      admin.put('/components/:component/shadow', async (request) => {
        const c = component(request);
        const { reason, ...settings } = parse(ShadowSettingsRequestSchema, request.body);
        return shadow().change(c, settings, reason, request.adminActor ?? 'admin');
      });

      admin.get('/costs', async (request) => ({ ...(await runtime.costs(monthParam((request.query as Record<string, unknown>).month))), ...(options.costPlan ? { plan: options.costPlan } : {}) }));

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
        const events = await runtime.events({ component: c, before, limit: limit + 1 });
        const page = events.slice(0, limit);
        return { events: page.map((e) => runtime.eventView(e)), nextBefore: events.length > limit ? String(page.at(-1)!.id) : null };
      });

      admin.get('/replicas', async () => ({ replicas: options.replicas ? await options.replicas() : [] }));

      admin.get('/stream', (request, reply) => streams.handle(request, reply));
    },
    { prefix: '/admin/v1' },
  );
  return streams;
}
