// `GET /metrics` (Prometheus text format): on the public port by default, or, when `metrics.host` and
// `metrics.port` are set, ONLY on a separate listener there (the private monitoring path), so the public
// hostname never serves it. The listener opens when the gateway is ready and closes with it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '@bascule/contracts';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { errorBody } from '@bascule/contracts';

export interface MetricsEndpoint {
  /** The separate listener's address once listening (`http://host:port`); null when /metrics is on the public port. */
  url(): string | null;
}

export function registerMetricsEndpoint(app: FastifyInstance, registry: Registry, settings: GatewayConfig['metrics']): MetricsEndpoint {
  if (settings.host === undefined || settings.port === undefined) {
    app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    return { url: () => null };
  }
  const { host, port } = settings;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('not_found', `no route ${request.method} ${path} (this listener serves GET /metrics only)`)));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        app.log.error({ err: error }, 'metrics collection failed');
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(errorBody('internal_error', 'metrics collection failed')));
      },
    );
  });
  server.requestTimeout = 10_000;
  app.addHook('onReady', (done) => {
    server.once('error', done);
    server.listen(port, host, () => {
      server.off('error', done);
      done();
    });
  });
  app.addHook('onClose', (_instance, done) => {
    if (!server.listening) return done();
    server.closeAllConnections();
    server.close(() => done());
  });
  return {
    url: () => {
      const address = server.address() as AddressInfo | null;
      return address === null ? null : `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    },
  };
}
