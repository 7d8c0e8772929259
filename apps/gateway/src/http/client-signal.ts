// The signal that tells upstream calls the client has left (decision 0007: a child who closes the page is
// not the provider's failure, and its attempt is cut and counted `cancelled`).
//
// One signal per client connection, not per request: an HTTP/1.1 client leaves by closing its connection,
// so the connection's 'close' says it for every request on it. The AbortController and the one listener
// are made on the connection's first request; the next requests on a keep-alive connection get the same
// signal for the cost of a property read (an AbortController and a 'close' listener per request were
// about 2 % of the gateway's CPU). The signal aborts when the connection closes, whatever is in flight:
// what still runs for that connection then has nobody to answer, and what has finished no longer listens
// (upstream calls remove their listener when they settle). A request whose connection is already gone gets
// an aborted signal, so the executor calls no upstream for it. A chat stream combines it with its own
// first-event signal (`AbortSignal.any`); Node 20 keeps a weak reference per combined signal in the source
// until the source goes (~60 bytes a stream), so a keep-alive connection holds one per stream it served:
// bounded by the connection's life, and far less than a controller and a listener per request.
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

const SIGNAL = Symbol('bascule.clientSignal');

type WatchedSocket = Socket & { [SIGNAL]?: AbortSignal };

function watch(socket: WatchedSocket): AbortSignal {
  const controller = new AbortController();
  if (socket.destroyed) controller.abort();
  else socket.once('close', () => controller.abort());
  socket[SIGNAL] = controller.signal;
  return controller.signal;
}

/** Aborted when the client's connection closes (before its answer, for the requests still in flight). */
export function clientSignal(reply: FastifyReply): AbortSignal {
  const socket = reply.raw.socket as WatchedSocket | null;
  if (socket === null) return AbortSignal.abort(); // detached: the response is done or the client is gone
  return socket[SIGNAL] ?? watch(socket);
}
