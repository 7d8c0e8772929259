// How the request path hears that the client has left (decision 0007: a child who closes the page is not the
// provider's failure, and its attempt is cut and counted `cancelled`).
//
// One watch per client connection, not per request: an HTTP/1.1 client leaves by closing its connection, so
// the connection's 'close' says it for every request on it. The watch and its one 'close' listener are made
// on the connection's first request; the next requests on a keep-alive connection get the same watch for the
// cost of a property read. A hedged route registers in a plain slot of the watch while it runs, not as a
// listener on an AbortSignal: on Node 20 a listener added to and removed from the connection's long-lived
// signal on every request cost about 10 % of the gateway's CPU per request and 20–60 MB of RSS under load
// (decision 0022).
// A real AbortSignal, for the calls that hand one to undici or combine it (a chat stream's first event), is
// made on first use and aborted with the watch.
//
// What still runs for a connection that closed has nobody to answer; what has finished no longer listens
// (routes leave the watch when they end, upstream calls remove their listener when they settle). A request
// whose connection is already gone gets a watch that is already aborted, so the executor calls no upstream.
import type { Socket } from 'node:net';
import type { ClientLeft } from '@bascule/routing';
import type { FastifyReply } from 'fastify';

type Listener = { handleEvent(): void };

export class ClientWatch implements ClientLeft {
  aborted = false;
  reason: unknown = undefined;
  /** The request in flight on the connection: one at a time unless the client pipelines (then `more`). */
  private first: Listener | null = null;
  private more: Set<Listener> | null = null;
  private controller: AbortController | null = null;

  /** An AbortSignal that aborts with the watch (made on first use). */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  addEventListener(_type: 'abort', listener: Listener): void {
    if (this.aborted) return;
    if (this.first === null) this.first = listener;
    else (this.more ??= new Set()).add(listener);
  }

  removeEventListener(_type: 'abort', listener: Listener): void {
    if (this.first === listener) this.first = null;
    else this.more?.delete(listener);
  }

  /** The client left: every listener hears it once, and the signal aborts. */
  abort(reason: unknown = new DOMException('the client closed the connection', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = [...(this.first ? [this.first] : []), ...(this.more ?? [])];
    this.first = null;
    this.more = null;
    for (const listener of listeners) listener.handleEvent();
  }
}

const WATCH = Symbol('bascule.clientWatch');

type WatchedSocket = Socket & { [WATCH]?: ClientWatch };

function watch(socket: WatchedSocket): ClientWatch {
  const client = new ClientWatch();
  if (socket.destroyed) client.abort();
  else socket.once('close', () => client.abort());
  socket[WATCH] = client;
  return client;
}

const GONE = new ClientWatch();
GONE.abort();

/** Aborted when the client's connection closes (before its answer, for the requests still in flight). */
export function clientWatch(reply: FastifyReply): ClientWatch {
  const socket = reply.raw.socket as WatchedSocket | null;
  if (socket === null) return GONE; // detached: the response is done or the client is gone
  return socket[WATCH] ?? watch(socket);
}
