// A stand-in for the gateway's admin API (the design's shapes), used to develop the page before the real
// gateway exists. It simulates traffic, a fault that raises an alert and, after three evaluations, an
// automatic rollback, so the browser test can exercise the same flow it runs against the real gateway.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { emptyHistogram, isInProductionCohort, minuteOf, recordLatency, type MinuteRollup } from '@bascule/routing';
import type { Alert, AuditEvent, ComponentSummary, CriteriaResponse, RolloutState, WindowMetrics } from '@bascule/contracts';

type Component = ComponentSummary['component'];
type Provider = ComponentSummary['providers']['mvp']['id'];
interface FakeComponent {
  component: Component;
  status: ComponentSummary['status'];
  weight: number;
  production: Provider;
  mvp: Provider;
  fault: boolean;
  faultTicks: number;
}
const STEPS = [10, 50, 100];

export interface FakeAdminApi {
  url: string;
  token: string;
  weight(component: string): number;
  injectFault(component: string): void;
  close(): Promise<void>;
}

const PROVIDERS: [Component, Provider, Provider][] = [
  ['llm', 'groq', 'huggingface'],
  ['stt', 'faster-whisper', 'openai-whisper'],
  ['tts', 'coqui', 'web-speech'],
  ['vision', 'trocr', 'easyocr'],
];

export async function startFakeAdminApi(token: string, tickMs = 500): Promise<FakeAdminApi> {
  // A migration under way: llm done, tts at its first step, stt and vision not started.
  const initialWeight: Record<Component, number> = { llm: 100, stt: 0, tts: 10, vision: 0 };
  const components: FakeComponent[] = PROVIDERS.map(([component, production, mvp]) => {
    const weight = initialWeight[component];
    return { component, status: weight === 100 ? 'production' : weight > 0 ? 'migrating' : 'mvp', weight, production, mvp, fault: false, faultTicks: 0 };
  });
  const events: AuditEvent[] = [];
  const streams = new Set<ServerResponse>();
  let tick = 0;

  const audit = (c: FakeComponent, actor: string, action: AuditEvent['action'], reason: string, from: RolloutState): void => {
    events.unshift({ id: String(events.length + 1), at: new Date().toISOString(), component: c.component, actor, action, reason, from, to: state(c) });
  };
  const state = (c: FakeComponent): RolloutState => ({ status: c.status, weight: c.weight, step: stepOf(c) });
  const stepOf = (c: FakeComponent): number => STEPS.filter((w) => w <= c.weight).length - 1;
  const window = (p95Ms: number, errorRate: number, requests: number, cost: number): WindowMetrics => ({
    windowMs: 300_000,
    requests,
    errors: Math.round(requests * errorRate),
    errorRate,
    availability: 1 - errorRate,
    avgMs: p95Ms * 0.6,
    p50Ms: p95Ms * 0.5,
    p95Ms,
    p99Ms: p95Ms * 1.3,
    costPerRequestEur: cost,
  });
  const faulty = (c: FakeComponent): boolean => c.fault && c.status !== 'rollback';
  const view = (c: FakeComponent): ComponentSummary => {
    const prodP95 = faulty(c) ? 2600 : 380;
    const prodRequests = Math.round(c.weight * 6);
    const alerts: Alert[] = faulty(c) && c.faultTicks >= 1
      ? [{ id: `${c.component}:${c.production}:p95_latency`, severity: 'critical', metric: 'p95_latency', provider: c.production, message: `p95 ${prodP95} ms > 2000 ms`, value: prodP95, threshold: 2000, since: new Date().toISOString(), evaluations: c.faultTicks }]
      : [];
    return {
      component: c.component,
      status: c.status,
      weight: c.weight,
      step: stepOf(c),
      plan: { version: 1, steps: STEPS.map((weight) => ({ weight, minDurationMs: 172_800_000 })), autoPromote: false },
      stepStartedAt: null,
      providers: {
        production: { id: c.production, breaker: faulty(c) ? 'open' : 'closed', metrics: window(prodP95, faulty(c) ? 0.3 : 0.004, prodRequests, 0.0008) },
        mvp: { id: c.mvp, breaker: 'closed', metrics: window(1800, 0.01, 600 - prodRequests, 0.004) },
      },
      health: faulty(c) ? 45 : 96,
      metrics: window(1800 - c.weight * 10, 0.01, 600 + (tick % 7) * 10, 0.004 - c.weight * 0.00003),
      alerts,
    };
  };
  // What the store keeps: one MinuteRollup per minute, provider and route (histograms merge exactly).
  const history = (c: FakeComponent, rangeMs: number) => {
    const rollups: MinuteRollup[] = [];
    const now = minuteOf(Date.now());
    const minutes = Math.min(rangeMs / 60_000, 600);
    const add = (minute: number, provider: Provider, route: MinuteRollup['route'], count: number, base: number, errors: number, costEur: number): void => {
      const histogram = emptyHistogram();
      for (let k = 0; k < count; k++) recordLatency(histogram, base * (0.6 + ((k * 37) % 100) / 100));
      rollups.push({ minute, component: c.component, provider, route, count, errors, latencySumMs: base * count, costEur, histogram });
    };
    for (let i = minutes - 1; i >= 0; i--) {
      const minute = now - i * 60_000;
      const share = c.weight / 100;
      add(minute, c.mvp, 'mvp', Math.round(60 * (1 - share)), 1400 + (i % 9) * 30, i % 11 === 0 ? 1 : 0, 0.004 * 60 * (1 - share));
      if (share > 0) add(minute, c.production, 'production', Math.round(60 * share), 300 + (i % 5) * 15, 0, 0.0008 * 60 * share);
    }
    return { component: c.component, rollups };
  };
  const send = (res: ServerResponse, type: string, data: unknown): void => void res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  const broadcast = (type: string, data: unknown): void => {
    for (const res of streams) send(res, type, data);
  };
  const changed = (c: FakeComponent, from: RolloutState, actor: string, action: AuditEvent['action'], reason: string): void => {
    audit(c, actor, action, reason, from);
    broadcast('state', view(c));
    broadcast('event', events[0]);
  };
  const timer = setInterval(() => {
    tick++;
    for (const c of components) {
      if (!c.fault || c.status === 'rollback') continue;
      c.faultTicks++;
      const alert = view(c).alerts[0];
      if (alert) broadcast('alert', { component: c.component, state: 'firing', alert });
      if (c.faultTicks >= 3 && c.weight > 0) {
        const from = state(c);
        c.weight = 0;
        c.status = 'rollback';
        changed(c, from, 'analysis', 'rollback', `critical alert on ${c.production} for 3 evaluations: p95 > 2000 ms`);
        if (alert) broadcast('alert', { component: c.component, state: 'resolved', alert });
      }
    }
    for (const c of components) {
      const { metrics, providers, health } = view(c);
      broadcast('metrics', { component: c.component, at: new Date().toISOString(), metrics, providers, health });
    }
  }, tickMs);

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  // The public route, reduced to what the page's test needs: which cohort a student is routed to,
  // decided by the migration engine's own cohort function, named in the design's response header.
  const transcribe = (req: IncomingMessage, res: ServerResponse): void => {
    const stt = components.find((c) => c.component === 'stt');
    const student = req.headers['x-student-id'];
    if (!stt || typeof student !== 'string') return json(res, 400, { error: { code: 'invalid_request', message: 'X-Student-Id: expected a student id' } });
    const production = !faulty(stt) && isInProductionCohort('stt', student, stt.weight);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'x-bascule-component': 'stt', 'x-bascule-provider': production ? stt.production : stt.mvp, 'x-bascule-route': production ? 'production' : 'mvp' });
    res.end(JSON.stringify({ text: 'lapin' }));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/v1/audio/transcriptions') return transcribe(req, res);
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: { code: 'unauthorized', message: 'admin token required' } });
      const parts = url.pathname.split('/').filter(Boolean); // admin v1 components stt weight
      if (url.pathname === '/admin/v1/components') return json(res, 200, { components: components.map(view) });
      if (url.pathname === '/admin/v1/events') return json(res, 200, { events: events.filter((e) => !url.searchParams.get('component') || e.component === url.searchParams.get('component')), nextBefore: null });
      if (url.pathname === '/admin/v1/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(': connected\n\n');
        for (const c of components) send(res, 'state', view(c));
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      const c = components.find((x) => x.component === parts[3]);
      if (!c) return json(res, 404, { error: { code: 'not_found', message: `unknown component` } });
      const action = parts[4];
      if (!action) return json(res, 200, view(c));
      if (action === 'criteria') {
        const criteria: CriteriaResponse = {
          component: c.component,
          provider: c.production,
          step: stepOf(c),
          criteria: [
            { id: 'p95_latency', label: 'p95 latency', comparator: '<', target: 1500, unit: 'ms', measured: faulty(c) ? 2600 : 380, samples: 120 + tick, minSamples: 100, verdict: faulty(c) ? 'FAIL' : 'PASS' },
            { id: 'availability', label: 'availability', comparator: '>', target: 0.995, unit: 'ratio', measured: 0.998, samples: 120 + tick, minSamples: 100, verdict: 'PASS' },
            { id: 'quality', label: 'quality', comparator: '>', target: 0.95, unit: 'ratio', measured: null, samples: 0, minSamples: 1, verdict: 'INCONCLUSIVE' },
          ],
          verdict: faulty(c) ? 'NO-GO' : 'HOLD',
          evaluatedAt: new Date().toISOString(),
        };
        return json(res, 200, criteria);
      }
      if (action === 'history') return json(res, 200, history(c, { '1h': 3_600_000, '48h': 172_800_000, '7d': 604_800_000 }[url.searchParams.get('range') ?? '1h'] ?? 3_600_000));
      const body = await readBody(req);
      const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
      if (!reason) return json(res, 400, { error: { code: 'invalid_request', message: 'reason: expected a reason (non-empty text)' } });
      const from = state(c);
      if (action === 'weight') {
        const weight = body.weight;
        if (typeof weight !== 'number' || weight < 0 || weight > 100) return json(res, 400, { error: { code: 'invalid_request', message: 'weight: expected a number between 0 and 100' } });
        c.weight = weight;
        c.status = c.status === 'rollback' ? 'rollback' : weight === 0 ? 'mvp' : weight === 100 ? 'production' : 'migrating';
        changed(c, from, 'admin', 'set-weight', reason);
      } else if (action === 'rollback') {
        c.weight = 0;
        c.status = 'rollback';
        changed(c, from, 'admin', 'rollback', reason);
      } else if (action === 'resume') {
        c.status = 'migrating';
        c.fault = false;
        changed(c, from, 'admin', 'resume', reason);
      } else if (action === 'promote') {
        c.weight = STEPS.find((w) => w > c.weight) ?? 100;
        c.status = c.weight === 100 ? 'production' : 'migrating';
        changed(c, from, 'admin', 'promote', reason);
      }
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
