// The shared error shape `{ error: { code, message } }` outside the public and admin scopes too: what Node's
// HTTP parser refuses before Fastify sees a request (headers too large: 431, malformed: 400, too slow: 408),
// URLs the router cannot decode (400), unknown routes and the dashboard's missing files (404), and any other
// error at the root (the dashboard's static files, /healthz, /readyz).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, errorBody, type ErrorCode } from '@bascule/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

function clientErrorOf(code: string | undefined): { code: ErrorCode; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { code: 'headers_too_large', message: 'headers: larger than this server accepts (16 KiB in all)' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'request_timeout', message: 'request: its headers or body did not arrive in time' };
  return { code: 'invalid_request', message: `request: malformed HTTP (${code ?? 'unreadable'})` };
}

/** Fastify's `clientErrorHandler`: answers on the raw socket (there is no request yet), then closes it. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, message } = clientErrorOf(error.code);
  const status = ERROR_STATUS[code];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/** Fastify's `frameworkErrors`: a URL that cannot be decoded (e.g. `/dashboard/%E0%A4%A`). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(400).send(errorBody('invalid_request', `url: ${error.message}`, { field: 'url' }));
}

/** The constructor options that put Node's and the router's own errors in the shared shape. */
export const ROOT_ERROR_OPTIONS = { clientErrorHandler, frameworkErrors } satisfies Partial<FastifyServerOptions>;

/** Root 404 and error handlers (the public and admin scopes keep their own). */
export function registerRootErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'invalid_request') as ErrorCode;
      return reply.code(ERROR_STATUS[code]).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'gateway error');
    return reply.code(500).send(errorBody('internal_error', 'internal error'));
  });
}
