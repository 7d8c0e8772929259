// A stand-in for the gateway's admin API (the design's shapes), used to develop the page before the real
// gateway exists. It simulates traffic, a fault that raises an alert and, after three evaluations, an
// automatic rollback, so the browser test can exercise the same flow it runs against the real gateway.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Status = 'mvp' | 'migrating' | 'production' | 'rollback';
interface FakeComponent {
  component: string;
  status: Status;
  weight: number;
  production: string;
  mvp: string;
  fault: boolean;
  faultTicks: number;
}
interface AuditEvent { id: number; at: string; component: string; actor: string; action: string; reason: string; from: string; to: string }

export interface FakeAdminApi {
  url: string;
  token: string;
  weight(component: string): number;
  injectFault(component: string): void;
  close(): Promise<void>;
}

const PROVIDERS: [string, string, string][] = [
  ['llm', 'groq', 'huggingface'],
  ['stt', 'faster-whisper', 'openai-whisper'],
  ['tts', 'coqui', 'web-speech'],
  ['vision', 'trocr', 'easyocr'],
];

export async function startFakeAdminApi(token: string, tickMs = 500): Promise<FakeAdminApi> {
  const components: FakeComponent[] = PROVIDERS.map(([component, production, mvp]) => ({ component, status: 'mvp', weight: 0, production, mvp, fault: false, faultTicks: 0 }));
  const events: AuditEvent[] = [];
  const streams = new Set<ServerResponse>();
  let tick = 0;

  const audit = (c: FakeComponent, actor: string, action: string, reason: string, from: string, to: string): void => {
    events.unshift({ id: events.length + 1, at: new Date().toISOString(), component: c.component, actor, action, reason, from, to });
  };
  const view = (c: FakeComponent) => {
    const prodP95 = c.fault ? 2600 : 380;
    const alerts = c.fault && c.faultTicks >= 1 && c.status !== 'rollback' ? [{ severity: 'critical', metric: 'p95', provider: c.production, message: `p95 ${prodP95} ms > 2000 ms`, value: prodP95, threshold: 2000 }] : [];
    return {
      component: c.component,
      status: c.status,
      weight: c.weight,
      step: { index: c.weight >= 100 ? 2 : c.weight >= 50 ? 1 : 0, total: 3, weight: c.weight >= 50 ? 100 : c.weight >= 10 ? 50 : 10 },
      health: c.fault && c.status !== 'rollback' ? 45 : 96,
      providers: {
        [c.production]: { role: 'production', breaker: c.fault && c.status !== 'rollback' ? 'open' : 'closed', metrics: { p50Ms: 210, p95Ms: prodP95, errorRate: c.fault ? 0.3 : 0.004, requests: Math.round(c.weight * 3) } },
        [c.mvp]: { role: 'mvp', breaker: 'closed', metrics: { p50Ms: 900, p95Ms: 1800, errorRate: 0.01, requests: 300 } },
      },
      metrics: { p50Ms: 600, p95Ms: 1800 - c.weight * 10, errorRate: 0.01, requests: 300 + c.weight * 3, requestsPerSecond: 3 + (tick % 5) / 10, activeStudents: 40, costPerRequest: 0.004 - c.weight * 0.00002, mvpCostPerRequest: 0.004, mvpP95Ms: 1800 },
      alerts,
    };
  };
  const history = (c: FakeComponent) => {
    const points = [];
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    for (let i = 59; i >= 0; i--) {
      const t = now - i * 60_000;
      points.push({ t, provider: c.mvp, requests: 60, p50Ms: 850 + (i % 7) * 10, p95Ms: 1700 + (i % 5) * 40, errorRate: 0.01, cost: 0.24 });
      if (c.weight > 0) points.push({ t, provider: c.production, requests: 20, p50Ms: 200 + (i % 3) * 5, p95Ms: 350 + (i % 4) * 10, errorRate: 0.002, cost: 0.01 });
    }
    return { component: c.component, range: '1h', points };
  };
  const broadcast = (): void => {
    const data = JSON.stringify({ components: components.map(view) });
    for (const res of streams) res.write(`event: state\ndata: ${data}\n\n`);
  };
  const timer = setInterval(() => {
    tick++;
    for (const c of components) {
      if (!c.fault || c.status === 'rollback') continue;
      c.faultTicks++;
      if (c.faultTicks >= 3 && c.weight > 0) {
        audit(c, 'analysis', 'rollback', `critical alert on ${c.production} for 3 evaluations: p95 > 2000 ms`, `${c.weight}`, '0');
        c.weight = 0;
        c.status = 'rollback';
      }
    }
    broadcast();
  }, tickMs);

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: { code: 'unauthorized', message: 'admin token required' } });
      const parts = url.pathname.split('/').filter(Boolean); // admin v1 components stt weight
      if (url.pathname === '/admin/v1/components') return json(res, 200, { components: components.map(view) });
      if (url.pathname === '/admin/v1/events') return json(res, 200, { events });
      if (url.pathname === '/admin/v1/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': connected\n\n');
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      const c = components.find((x) => x.component === parts[3]);
      if (!c) return json(res, 404, { error: { code: 'not_found', message: `unknown component` } });
      const action = parts[4];
      if (!action) return json(res, 200, view(c));
      if (action === 'criteria') return json(res, 200, { component: c.component, criteria: [{ name: 'p95', target: '< 1500 ms', measured: c.fault ? 2600 : 380, unit: 'ms', samples: 120 + tick, verdict: c.fault ? 'FAIL' : 'PASS' }, { name: 'availability', target: '> 99.5 %', measured: 99.8, unit: '%', samples: 120 + tick, verdict: 'PASS' }, { name: 'quality', target: '> 95 %', measured: null, samples: 0, verdict: 'INCONCLUSIVE' }] });
      if (action === 'history') return json(res, 200, history(c));
      const body = await readBody(req);
      const reason = typeof body.reason === 'string' ? body.reason : '';
      if (action === 'weight') {
        const weight = body.weight;
        if (typeof weight !== 'number' || weight < 0 || weight > 100) return json(res, 400, { error: { code: 'bad_request', message: 'weight: expected a number from 0 to 100' } });
        audit(c, 'admin', 'weight', reason, `${c.weight}`, `${weight}`);
        c.weight = weight;
        c.status = c.status === 'rollback' ? 'rollback' : weight === 0 ? 'mvp' : weight === 100 ? 'production' : 'migrating';
      } else if (action === 'rollback') {
        audit(c, 'admin', 'rollback', reason, `${c.weight}`, '0');
        c.weight = 0;
        c.status = 'rollback';
      } else if (action === 'resume') {
        audit(c, 'admin', 'resume', reason, 'rollback', 'migrating');
        c.status = 'migrating';
        c.fault = false;
      } else if (action === 'promote') {
        const next = c.weight >= 50 ? 100 : c.weight >= 10 ? 50 : 10;
        audit(c, 'admin', 'promote', reason, `${c.weight}`, `${next}`);
        c.weight = next;
        c.status = next === 100 ? 'production' : 'migrating';
      }
      broadcast();
      return json(res, 200, view(c));
    })().catch((error: unknown) => json(res, 500, { error: { code: 'internal', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    weight: (id) => components.find((c) => c.component === id)?.weight ?? -1,
    injectFault: (id) => {
      const c = components.find((x) => x.component === id);
      if (c) c.fault = true;
    },
    close: () =>
      new Promise((resolve) => {
        clearInterval(timer);
        for (const s of streams) s.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
