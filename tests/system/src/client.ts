// How the test reaches the private subnet: HTTP over HAProxy's Unix sockets. `edge` is the load balancer
// (what the reading app reaches through Cloudflare); `gateway('a' | 'b')` one replica, for admin calls and
// requests aimed at it.
import { Agent, fetch, FormData, setGlobalDispatcher } from 'undici';
import type { Balancer } from './haproxy.ts';
import { SECRETS } from './gateway-config.ts';

/** Host part of every URL: the socket decides where a request goes. */
export const ORIGIN = 'http://bascule.test';

export type Replica = 'a' | 'b';

export interface AdminAnswer {
  status: number;
  body: unknown;
}

export class Clients {
  readonly edge: Agent;
  private readonly replicas: Record<Replica, Agent>;

  constructor(balancer: Balancer) {
    this.edge = new Agent({ connect: { socketPath: balancer.publicSocket }, connections: 256 });
    this.replicas = {
      a: new Agent({ connect: { socketPath: balancer.gatewaySockets.a } }),
      b: new Agent({ connect: { socketPath: balancer.gatewaySockets.b } }),
    };
    // The lab's traffic generator calls undici's fetch without a dispatcher: it goes to the edge.
    setGlobalDispatcher(this.edge);
  }

  async admin(replica: Replica, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, timeoutMs = 5_000): Promise<AdminAnswer> {
    const response = await fetch(`${ORIGIN}/admin/v1${path}`, {
      method,
      dispatcher: this.replicas[replica],
      headers: { authorization: `Bearer ${SECRETS.BASCULE_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (HAProxy's own error pages): kept as text
    }
    return { status: response.status, body: parsed };
  }

  /** GET on an admin path that must answer 200; its JSON body. */
  async read<T>(replica: Replica, path: string): Promise<T> {
    const answer = await this.admin(replica, 'GET', path);
    if (answer.status !== 200) throw new Error(`GET ${path} on gateway ${replica}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body as T;
  }

  /** One public request straight to one replica (bypassing the balancer); the route it took. */
  async handwriting(replica: Replica, studentId: string, png: Uint8Array, target: string): Promise<{ status: number; route: string | null }> {
    const form = new FormData();
    form.append('image', new Blob([png], { type: 'image/png' }), 'lettre.png');
    form.append('target', target);
    const response = await fetch(`${ORIGIN}/v1/vision/handwriting`, {
      method: 'POST',
      dispatcher: this.replicas[replica],
      headers: { authorization: `Bearer ${SECRETS.BASCULE_CLIENT_KEY}`, 'x-student-id': studentId },
      body: form,
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    return { status: response.status, route: response.headers.get('x-bascule-route') };
  }

  /** `GET /healthz` of one replica: its status and body. */
  async health(replica: Replica): Promise<AdminAnswer> {
    const response = await fetch(`${ORIGIN}/healthz`, { dispatcher: this.replicas[replica], signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    return { status: response.status, body: text };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.edge.close(), this.replicas.a.close(), this.replicas.b.close()]);
  }
}
