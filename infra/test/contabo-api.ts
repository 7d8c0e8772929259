// A local stand-in for Contabo's public API (auth.contabo.com token endpoint and api.contabo.com
// /v1/compute/instances), answering with the documented shapes, with injectable failures. Tests only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  requestId: string | undefined;
  authorization: string | undefined;
  body: string;
}

export interface FakeInstance {
  instanceId: number;
  name: string;
  displayName: string;
  status: string;
  imageId: string;
  productId: string;
  region: string;
  ipConfig: { v4: { ip: string; netmaskCidr: number; gateway: string } };
}

export class FakeContabo {
  readonly calls: RecordedCall[] = [];
  /** Status codes to answer (once each, in order) before handling a request normally. */
  readonly failures: number[] = [];
  instance: FakeInstance = {
    instanceId: 12345,
    name: 'vmd12345',
    displayName: '',
    status: 'running',
    imageId: 'image-ubuntu-22',
    productId: 'V95',
    region: 'EU',
    ipConfig: { v4: { ip: '203.0.113.10', netmaskCidr: 22, gateway: '203.0.113.1' } },
  };
  /** Tokens the fake has issued and still accepts (`revokeTokens` empties it, as an expiry would). */
  private readonly validTokens = new Set<string>();
  private issued = 0;
  /** GETs after a reinstall's PUT that still show "running" (Contabo is slow to show the reinstall). */
  reinstallLag = 0;
  /** The status each instance GET answered, in order. */
  readonly statusesSeen: string[] = [];
  /** GETs left before a reinstall, start or stop reaches `pendingStatus`. */
  private pendingPolls = 0;
  private pendingStatus = 'running';
  private lagLeft = 0;
  private server?: Server;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Every token issued so far is refused from now on (HTTP 401), as after its expiry. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.calls.push({ method: req.method ?? '', path, requestId: header(req, 'x-request-id'), authorization: header(req, 'authorization'), body });
    const failure = this.failures.shift();
    if (failure === 429) return { status: 429, body: { message: 'Too Many Requests' }, headers: { 'retry-after': '0' } };
    if (failure !== undefined) return { status: failure, body: { message: 'Internal Server Error' } };

    if (path === '/auth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const ok = form.get('grant_type') === 'password' && form.get('client_id') === 'INT-1' && form.get('client_secret') === 'cs' && form.get('username') === 'api@example.org' && form.get('password') === 'pw';
      if (!ok) return { status: 401, body: { error: 'invalid_grant' } };
      const token = `token-${++this.issued}`;
      this.validTokens.add(token);
      return { status: 200, body: { access_token: token, expires_in: 300, token_type: 'Bearer' } };
    }
    const bearer = header(req, 'authorization')?.replace(/^Bearer /, '') ?? '';
    if (!this.validTokens.has(bearer)) return { status: 401, body: { message: 'Unauthorized' } };
    const match = /^\/v1\/compute\/instances\/(\d+)(\/.*)?$/.exec(path);
    if (!match || Number(match[1]) !== this.instance.instanceId) return { status: 404, body: { statusCode: 404, message: 'Entry Instance not found' } };
    const rest = match[2] ?? '';
    if (req.method === 'GET' && rest === '') {
      if (this.lagLeft > 0) {
        if (--this.lagLeft === 0) this.instance.status = 'installing';
      } else if (this.pendingPolls > 0 && --this.pendingPolls === 0) this.instance.status = this.pendingStatus;
      this.statusesSeen.push(this.instance.status);
      return { status: 200, body: { data: [this.instance], _links: { self: path } } };
    }
    if (req.method === 'PATCH' && rest === '') {
      const patch = JSON.parse(body) as { displayName?: string };
      if (patch.displayName !== undefined) this.instance.displayName = patch.displayName;
      return { status: 200, body: { data: [{ tenantId: 'DE', customerId: '1', instanceId: this.instance.instanceId }], _links: { self: path } } };
    }
    if (req.method === 'PUT' && rest === '') {
      const reinstall = JSON.parse(body) as { imageId: string };
      this.instance = { ...this.instance, imageId: reinstall.imageId, status: this.reinstallLag > 0 ? 'running' : 'installing' };
      this.lagLeft = this.reinstallLag;
      this.pendingPolls = 2;
      this.pendingStatus = 'running';
      return { status: 200, body: { data: [{ tenantId: 'DE', customerId: '1', instanceId: this.instance.instanceId }], _links: { self: path } } };
    }
    if (req.method === 'POST' && rest === '/actions/start') {
      this.instance.status = 'provisioning';
      this.pendingPolls = 1;
      this.pendingStatus = 'running';
      return { status: 201, body: { data: [{ tenantId: 'DE', customerId: '1', instanceId: this.instance.instanceId, action: 'start' }] } };
    }
    if (req.method === 'POST' && rest === '/actions/stop') {
      // Contabo answers at once; the status passes through "stopping" before "stopped".
      this.instance.status = 'stopping';
      this.pendingPolls = 2;
      this.pendingStatus = 'stopped';
      return { status: 201, body: { data: [{ tenantId: 'DE', customerId: '1', instanceId: this.instance.instanceId, action: 'stop' }] } };
    }
    if (req.method === 'POST' && rest === '/cancel') {
      return { status: 200, body: { data: [{ tenantId: 'DE', customerId: '1', instanceId: this.instance.instanceId, cancelDate: '2026-12-31' }] } };
    }
    return { status: 404, body: { message: 'not found' } };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
