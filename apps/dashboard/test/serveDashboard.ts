// Serves the built dashboard under /dashboard/ and passes every other path (the admin API and its event
// stream included) through to a gateway, as the gateway itself or Vite's dev proxy would in real use.
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

export interface DashboardServer {
  url: string;
  /** Cut the way to the gateway (open streams drop, new calls get 503) or restore it: a network outage. */
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

export async function serveDashboard(distDir: string, gatewayUrl: string): Promise<DashboardServer> {
  const target = new URL(gatewayUrl);
  const proxied = new Set<ServerResponse>();
  let offline = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/dashboard' || url.pathname.startsWith('/dashboard/')) {
      const relative = normalize(url.pathname.slice('/dashboard/'.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
      readFile(join(distDir, relative)).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end('not found'),
      );
      return;
    }
    if (offline) return void res.writeHead(503).end('offline');
    proxied.add(res);
    res.on('close', () => proxied.delete(res));
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, timeout: 30_000 }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('gateway unreachable'));
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setOffline(value) {
      offline = value;
      if (value) for (const res of proxied) res.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
