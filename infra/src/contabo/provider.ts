// A Pulumi dynamic provider for an existing Contabo instance, over Contabo's public REST API
// (https://api.contabo.com, OAuth2 password grant at auth.contabo.com). GPU VPS are ordered in Contabo's
// web configurator only, so "create" ADOPTS an instance by id: it reads it, sets its display name (PATCH),
// reinstalls it (PUT) only when asked to, and powers it on (or off, when `powerState` is "stopped": the
// start and stop actions). Delete would cancel the contract: refused unless `allowCancel` is true.
//
// Pulumi serialises this object's functions into the state (closure serialisation): everything here uses
// globals only (fetch, crypto.randomUUID, setTimeout, AbortSignal, URLSearchParams) and no runtime import.

export interface ContaboCredentials {
  clientId: string;
  clientSecret: string;
  apiUser: string;
  apiPassword: string;
}

export interface ContaboInstanceInputs {
  instanceId: number;
  displayName?: string;
  /** Image to (re)install. A change reinstalls the instance, which wipes its disk: needs allowReinstall. */
  imageId?: string;
  sshKeys?: number[];
  userData?: string;
  /** "running" (the default) starts a stopped instance; "stopped" powers it off with the stop action. */
  powerState?: 'running' | 'stopped';
  allowReinstall: boolean;
  allowCancel: boolean;
  apiUrl: string;
  authUrl: string;
  credentials: ContaboCredentials;
}

export interface ContaboInstanceOutputs extends ContaboInstanceInputs {
  status: string;
  ipv4: string;
  name: string;
  productId: string;
  region: string;
  currentImageId: string;
}

export interface ContaboProviderOptions {
  /** Defaults to the global fetch; tests inject one to count calls. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  baseDelayMs?: number;
  requestTimeoutMs?: number;
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

interface ContaboInstance {
  instanceId: number;
  name: string;
  displayName: string;
  status: string;
  imageId: string;
  productId: string;
  region: string;
  ipConfig?: { v4?: { ip?: string } };
}

interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Fields whose change is applied in place (PATCH or PUT); a new instanceId adopts another instance. */
const UPDATABLE = ['displayName', 'imageId', 'sshKeys', 'userData', 'powerState', 'allowReinstall', 'allowCancel', 'apiUrl', 'authUrl', 'credentials'] as const;

export function makeContaboProvider(options: ContaboProviderOptions = {}) {
  const settings = {
    maxAttempts: options.maxAttempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 1_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? 15_000,
    pollTimeoutMs: options.pollTimeoutMs ?? 30 * 60_000,
  };
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  function delayFor(attempt: number, response: Response | undefined): number {
    const retryAfter = Number(response?.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1_000, 60_000);
    return Math.min(settings.baseDelayMs * 2 ** attempt, 30_000);
  }

  /** One call with retries on 429, 5xx and network errors; a fresh x-request-id for each attempt. */
  async function send(url: string, init: RequestInit, what: string): Promise<Response> {
    let lastProblem = '';
    for (let attempt = 0; attempt < settings.maxAttempts; attempt++) {
      let response: Response | undefined;
      try {
        const headers = new Headers(init.headers);
        headers.set('x-request-id', crypto.randomUUID());
        response = await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      if (response && response.status !== 429 && response.status < 500) return response;
      if (response) lastProblem = `HTTP ${response.status} ${(await response.text().catch(() => '')).slice(0, 200)}`;
      if (attempt + 1 < settings.maxAttempts) await sleep(delayFor(attempt, response));
    }
    throw new Error(`Contabo API: ${what} failed after ${settings.maxAttempts} attempts: ${lastProblem}`);
  }

  async function token(inputs: ContaboInstanceInputs): Promise<string> {
    const c = inputs.credentials;
    const body = new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, username: c.apiUser, password: c.apiPassword, grant_type: 'password' });
    const response = await send(inputs.authUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, 'token request');
    if (!response.ok) throw new Error(`Contabo API: token request refused (HTTP ${response.status}); check bascule:host.contabo.clientId and the contabo* secrets`);
    const json = (await response.json()) as { access_token?: string };
    if (!json.access_token) throw new Error('Contabo API: token response has no access_token');
    return json.access_token;
  }

  async function call(inputs: ContaboInstanceInputs, bearer: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${inputs.apiUrl.replace(/\/+$/, '')}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, `${method} ${path}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`Contabo API: ${method} ${path} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    return text === '' ? {} : JSON.parse(text);
  }

  async function getInstance(inputs: ContaboInstanceInputs, bearer: string): Promise<ContaboInstance> {
    const json = (await call(inputs, bearer, 'GET', `/v1/compute/instances/${inputs.instanceId}`)) as { data?: ContaboInstance[] };
    const instance = json.data?.[0];
    if (!instance) throw new Error(`Contabo API: instance ${inputs.instanceId} not found in the answer`);
    return instance;
  }

  async function waitFor(status: 'running' | 'stopped', inputs: ContaboInstanceInputs, bearer: string): Promise<ContaboInstance> {
    const deadline = Date.now() + settings.pollTimeoutMs;
    for (;;) {
      const instance = await getInstance(inputs, bearer);
      if (instance.status === status) return instance;
      if (instance.status === 'error') throw new Error(`Contabo API: instance ${inputs.instanceId} is in status "error"`);
      if (Date.now() > deadline) throw new Error(`Contabo API: instance ${inputs.instanceId} not ${status} after ${settings.pollTimeoutMs} ms (status "${instance.status}")`);
      await sleep(settings.pollIntervalMs);
    }
  }

  /** The start or stop action when the power state differs from the wanted one, then a poll until it is reached. */
  async function power(inputs: ContaboInstanceInputs, bearer: string, instance: ContaboInstance): Promise<ContaboInstance> {
    const wanted = inputs.powerState ?? 'running';
    const other = wanted === 'running' ? 'stopped' : 'running';
    if (instance.status !== other) return instance;
    await call(inputs, bearer, 'POST', `/v1/compute/instances/${inputs.instanceId}/actions/${wanted === 'running' ? 'start' : 'stop'}`, {});
    return waitFor(wanted, inputs, bearer);
  }

  /** Brings the instance to the inputs: image (if allowed), display name, power state. */
  async function converge(inputs: ContaboInstanceInputs, previous: ContaboInstanceInputs | undefined): Promise<ContaboInstanceOutputs> {
    const bearer = await token(inputs);
    let instance = await getInstance(inputs, bearer);
    const id = inputs.instanceId;
    const wantsImage = inputs.imageId !== undefined && inputs.imageId !== (previous ? previous.imageId : instance.imageId);
    if (wantsImage) {
      if (!inputs.allowReinstall) {
        throw new Error(`Contabo instance ${id}: imageId changed to "${inputs.imageId}", which reinstalls (wipes) the disk; set bascule:host.contabo.allowReinstall to true to allow it`);
      }
      await call(inputs, bearer, 'PUT', `/v1/compute/instances/${id}`, { imageId: inputs.imageId, sshKeys: inputs.sshKeys, userData: inputs.userData });
      instance = await waitFor('running', inputs, bearer);
    }
    if (inputs.displayName !== undefined && inputs.displayName !== instance.displayName) {
      await call(inputs, bearer, 'PATCH', `/v1/compute/instances/${id}`, { displayName: inputs.displayName });
      instance = { ...instance, displayName: inputs.displayName };
    }
    instance = await power(inputs, bearer, instance);
    return outputsOf(inputs, instance);
  }

  function outputsOf(inputs: ContaboInstanceInputs, instance: ContaboInstance): ContaboInstanceOutputs {
    return {
      ...inputs,
      status: instance.status,
      ipv4: instance.ipConfig?.v4?.ip ?? '',
      name: instance.name,
      productId: instance.productId,
      region: instance.region,
      currentImageId: instance.imageId,
    };
  }

  return {
    async check(_olds: ContaboInstanceInputs, news: ContaboInstanceInputs) {
      const failures: { property: string; reason: string }[] = [];
      if (!Number.isInteger(news.instanceId) || news.instanceId <= 0) failures.push({ property: 'instanceId', reason: 'expected the numeric id of the instance' });
      return { inputs: news, failures };
    },

    async create(inputs: ContaboInstanceInputs) {
      const outs = await converge(inputs, undefined);
      return { id: String(inputs.instanceId), outs };
    },

    async read(id: string, props: ContaboInstanceOutputs) {
      const inputs = { ...props, instanceId: Number(id) };
      const instance = await getInstance(inputs, await token(inputs));
      return { id, props: outputsOf(inputs, instance) };
    },

    async diff(_id: string, olds: ContaboInstanceOutputs, news: ContaboInstanceInputs): Promise<DiffResult> {
      const replaces = olds.instanceId === news.instanceId ? [] : ['instanceId'];
      const changed = UPDATABLE.some((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      return { changes: changed || replaces.length > 0, replaces, deleteBeforeReplace: false };
    },

    async update(_id: string, olds: ContaboInstanceOutputs, news: ContaboInstanceInputs) {
      return { outs: await converge(news, olds) };
    },

    async delete(id: string, props: ContaboInstanceOutputs) {
      if (!props.allowCancel) {
        throw new Error(
          `refusing to cancel Contabo instance ${id}: cancelling ends its contract. Set bascule:host.contabo.allowCancel to true ` +
            'to cancel it, or run `pulumi state delete <urn>` to stop managing it and keep the machine',
        );
      }
      const bearer = await token(props);
      await call(props, bearer, 'POST', `/v1/compute/instances/${id}/cancel`, {});
    },
  };
}

export type ContaboProvider = ReturnType<typeof makeContaboProvider>;
