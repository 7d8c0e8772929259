// The address a per-address limit counts: the trusted proxy's header when configured (Cloudflare's
// CF-Connecting-IP, which it overwrites, unlike X-Forwarded-For which it appends to), else the socket's.
import type { FastifyRequest } from 'fastify';

export function clientAddress(request: FastifyRequest, header: string | undefined): string {
  if (header !== undefined) {
    const value = request.headers[header];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  }
  return request.socket.remoteAddress ?? request.ip;
}
