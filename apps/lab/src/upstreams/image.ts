// What every model image of gpu-images/ serves besides its inference route: `GET /health` and `GET /metrics`,
// and its error body (`{"error":{"code","message","field"?}}`).
import type { FastifyInstance } from 'fastify';
import type { UpstreamContext } from '../upstream.ts';

const IMAGE_CODES: Record<number, string> = { 400: 'invalid_request', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type', 500: 'internal_error', 503: 'model_not_ready' };

export function imageErrorBody(status: number, message: string, field?: string): unknown {
  return { error: { code: IMAGE_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request'), message, ...(field ? { field } : {}) } };
}

/** Registers `/health` (always warm in the lab) and a Prometheus `/metrics` counting inference calls. */
export function registerImageOps(app: FastifyInstance, ctx: UpstreamContext, model: string, inferencePath: string): void {
  const byStatus = new Map<number, number>();
  let seconds = 0;
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.split('?')[0] !== inferencePath) return;
    byStatus.set(reply.statusCode, (byStatus.get(reply.statusCode) ?? 0) + 1);
    seconds += reply.elapsedTime / 1000;
  });
  app.get('/health', async () => ({ status: 'ok', model, warm: true, device: 'cuda', uptime_s: Math.round((Date.now() - ctx.startedAt) / 1000) }));
  app.get('/metrics', async (_request, reply) => {
    const lines = [
      '# HELP bascule_image_requests_total Inference requests by HTTP status.',
      '# TYPE bascule_image_requests_total counter',
      ...[...byStatus].map(([status, count]) => `bascule_image_requests_total{route="${inferencePath}",status="${status}"} ${count}`),
      '# HELP bascule_image_inference_seconds_total Time spent answering inference requests.',
      '# TYPE bascule_image_inference_seconds_total counter',
      `bascule_image_inference_seconds_total{route="${inferencePath}"} ${seconds}`,
      '# HELP bascule_image_model_warm 1 when the model is loaded and warm.',
      '# TYPE bascule_image_model_warm gauge',
      `bascule_image_model_warm{model="${model}"} 1`,
    ];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
}
