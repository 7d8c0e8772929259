// POST /v1/satisfaction: a student's or a teacher's rating (0..10) of a component, from the app. Counted in
// memory against the provider and route the student is routed to now (the cohort, as the executor would
// pick it: no upstream is called), and written with the next flush. The student id picks the cohort and is
// hashed for the rate limit; neither is kept with the rating. At most `auth.ratingsPerMinute` ratings a
// minute per student, component and client key.
import { SatisfactionRequestSchema, type SatisfactionAccepted } from '@bascule/contracts';
import { isInProductionCohort, type Component, type ProviderId, type Rating, type Route } from '@bascule/routing';
import type { FastifyInstance } from 'fastify';
import { fromZodError } from '../http/errors.ts';
import { mediaTypeHook } from '../http/media.ts';
import { readStudentId } from '../http/student.ts';
import { RateLimiter } from '../rate-limit/index.ts';
import type { MigrationRuntime } from '../migration/runtime.ts';
import { requireComponent, type RouteContext } from './context.ts';
import { rateLimited } from './limits.ts';

export interface RatingSink {
  record(r: Rating): void;
}

/** The provider and route a student's requests go to now (before any fallback). */
export function routeOfStudent(runtime: MigrationRuntime, component: Component, studentId: string): { provider: ProviderId; route: Route } {
  const plan = runtime.plan(component);
  const state = runtime.state(component);
  const production = state.status !== 'mvp' && isInProductionCohort(component, studentId, state.weight);
  return production ? { provider: plan.productionProvider, route: 'production' } : { provider: plan.mvpProvider, route: 'mvp' };
}

export function registerSatisfaction(app: FastifyInstance, ctx: RouteContext, runtime: MigrationRuntime, ratings: RatingSink): void {
  const { ratingsPerMinute } = ctx.config.auth;
  const limiter = new RateLimiter({ perMinute: ratingsPerMinute, replicas: ctx.config.server.replicas });
  app.post('/satisfaction', { bodyLimit: 4_096, onRequest: mediaTypeHook('json') }, async (request, reply) => {
    const studentId = readStudentId(request.headers['x-student-id']);
    const parsed = SatisfactionRequestSchema.safeParse(request.body);
    if (!parsed.success) throw fromZodError(parsed.error, request.body);
    const { component, score, rater } = parsed.data;
    requireComponent(ctx.config, component);
    // A rating is not a use of the component: it counts neither as an active student nor against the requests' limit.
    const hash = ctx.hashStudentId(studentId);
    request.log = request.log.child({ student: hash });
    const wait = limiter.take(`${request.clientName ?? ''}|${hash}|${component}`, Date.now());
    if (wait > 0) throw rateLimited(`too many ratings of ${component} for this student: ${ratingsPerMinute} a minute`, wait);
    const { provider, route } = routeOfStudent(runtime, component, studentId);
    ratings.record({ at: Date.now(), component, provider, route, rater, score });
    const body: SatisfactionAccepted = { accepted: true, component, provider, route };
    return reply.code(202).send(body);
  });
}
