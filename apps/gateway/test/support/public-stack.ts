// The one place the request path's tests get their world: the lab (every upstream at the wire, latency 0)
// and either the real gateway (createGateway) or an Executor over an in-memory runtime.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLab, type Lab } from '@bascule/lab';
import { defaultPlan, initialState, type Component, type ProviderId, type RolloutPlan, type RolloutState } from '@bascule/routing';
import { startGateway, type Gateway } from '../../src/app.ts';
import { localConfig, type LoadedConfig } from '../../src/config/index.ts';
import type { AttemptRecord, MigrationRuntime } from '../../src/migration/runtime.ts';

export const CLIENT_KEY = 'test-client-key-public-0123';
export const SECOND_CLIENT_KEY = 'test-client-key-second-4567';
export const ADMIN_TOKEN = 'test-admin-token-public-0123';
/** The lab wants a bearer token from the external providers' clients, as the real ones do. */
export const LAB_PROVIDER_KEYS: Partial<Record<ProviderId, string>> = { huggingface: 'hf-lab', groq: 'gsk-lab', 'vps-llm': 'llama-lab', 'openai-whisper': 'sk-lab' };

export function labConfig(lab: Lab, tweak?: (loaded: LoadedConfig) => void): LoadedConfig {
  const loaded = localConfig({ labUpstreams: lab.upstreams, env: { BASCULE_ADMIN_TOKEN: ADMIN_TOKEN, BASCULE_CLIENT_KEY: CLIENT_KEY } });
  loaded.secrets.providerApiKeys = { ...LAB_PROVIDER_KEYS };
  loaded.secrets.clientKeys = [...loaded.secrets.clientKeys, { name: 'second', key: SECOND_CLIENT_KEY }];
  tweak?.(loaded);
  return loaded;
}

export interface PublicStack {
  lab: Lab;
  url: string;
  gateway: Gateway;
  setWeight(component: Component, weight: number): void;
  close(): Promise<void>;
}

/** The lab and the real gateway on loopback (in-memory store, no analysis loop, no dashboard). */
export async function startPublicStack(tweak?: (loaded: LoadedConfig) => void, latencyScale = 0): Promise<PublicStack> {
  const lab = await startLab({ latencyScale });
  const { url, gateway, close } = await startGateway({ loaded: labConfig(lab, tweak), storePath: ':memory:', logger: false, analysisLoop: false, dashboardDir: null });
  return {
    lab,
    url,
    gateway,
    setWeight: (component, weight) => {
      gateway.runtime.setWeight(component, weight, 'test', 'admin', { reason: 'test setup: exposure chosen by the test' });
    },
    close: async () => {
      await close();
      await lab.close();
    },
  };
}

export const auth = (key = CLIENT_KEY) => ({ authorization: `Bearer ${key}` });

/** An in-memory MigrationRuntime: fixed plans and states, breakers by hand, attempts recorded. */
export class FakeRuntime implements MigrationRuntime {
  readonly attempts: AttemptRecord[] = [];
  readonly unavailable = new Set<ProviderId>();
  private readonly plans = new Map<Component, RolloutPlan>();
  private readonly states = new Map<Component, RolloutState>();

  constructor(weights: Partial<Record<Component, number>> = {}, slaMs = 1_000) {
    for (const component of ['llm', 'stt', 'tts', 'vision'] as const) {
      const plan = defaultPlan(component, { slaMs });
      this.plans.set(component, plan);
      const weight = weights[component] ?? 0;
      this.states.set(component, { ...initialState(plan, 0), weight, status: weight > 0 ? 'migrating' : 'mvp' });
    }
  }
  plan(component: Component): RolloutPlan {
    return this.plans.get(component)!;
  }
  state(component: Component): RolloutState {
    return this.states.get(component)!;
  }
  isAvailable(provider: ProviderId): boolean {
    return !this.unavailable.has(provider);
  }
  recordAttempt(o: AttemptRecord): void {
    this.attempts.push(o);
  }
}

/**
 * An OpenAI-compatible chat upstream that sends its first event and then breaks the connection: the one
 * fault the lab's switch cannot express (it acts before the handler).
 */
export interface BrokenStreamUpstream {
  baseUrl: string;
  /** `break-after-first`: one event then the socket is destroyed; `fail-before`: a 503 before any event. */
  mode: 'break-after-first' | 'fail-before';
  requests: number;
  close(): Promise<void>;
}

export async function startBrokenStreamUpstream(): Promise<BrokenStreamUpstream> {
  const server: Server = createServer((req, res) => {
    upstream.requests += 1;
    req.resume();
    req.on('end', () => {
      if (upstream.mode === 'fail-before') {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = { id: 'chatcmpl-broken', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Le ' }, finish_reason: null }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      setTimeout(() => res.socket?.destroy(), 20);
    });
  });
  const upstream: BrokenStreamUpstream = {
    baseUrl: '',
    mode: 'break-after-first',
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

/** What a scripted upstream received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A one-route upstream answering whatever the test scripts (a contract fixture, a status), recording each
 * request, so an adapter can be checked against the fixtures of libs/contracts at the wire.
 */
export interface ScriptedUpstream {
  baseUrl: string;
  received: ReceivedRequest[];
  answer: { status: number; contentType: string; body: string | Buffer };
  close(): Promise<void>;
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      upstream.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(parts) });
      res.writeHead(upstream.answer.status, { 'content-type': upstream.answer.contentType }).end(upstream.answer.body);
    });
  });
  const upstream: ScriptedUpstream = {
    baseUrl: '',
    received: [],
    answer: { status: 200, contentType: 'application/json', body: '{}' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

/** The multipart fields (text parts) and file parts of a recorded request. */
export async function multipartOf(request: ReceivedRequest): Promise<{ fields: Record<string, string>; files: Record<string, { type: string; size: number }> }> {
  const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, { type: string; size: number }> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else files[key] = { type: value.type, size: value.size };
  }
  return { fields, files };
}
