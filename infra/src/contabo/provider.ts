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

  /**
   * One call with a fresh x-request-id per attempt. Safe calls (GET, PATCH, the token request) are retried on
   * 429, 5xx and network errors; calls that act (a reinstall's PUT, an action's or a cancel's POST) only on
   * 429, which Contabo answers before doing anything: after a 5xx or a lost answer the action may have run.
   */
  async function send(url: string, init: RequestInit, what: string, retry: 'safe' | 'acts' = 'safe'): Promise<Response> {
    let lastProblem = '';
    for (let attempt = 0; attempt < settings.maxAttempts; attempt++) {
      let response: Response | undefined;
      try {
        const headers = new Headers(init.headers);
        headers.set('x-request-id', crypto.randomUUID());
        response = await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
        if (retry === 'acts') throw new Error(`Contabo API: ${what} got no answer (${lastProblem}); not retried, as it may have run: check the instance in the customer panel`);
      }
      if (response && response.status !== 429 && (response.status < 500 || retry === 'acts')) return response;
      if (response) lastProblem = `HTTP ${response.status} ${(await response.text().catch(() => '')).slice(0, 200)}`;
      if (attempt + 1 < settings.maxAttempts) await sleep(delayFor(attempt, response));
    }
    throw new Error(`Contabo API: ${what} failed after ${settings.maxAttempts} attempts: ${lastProblem}`);
  }

  /** An access token, kept until shortly before it expires (Contabo's live about 300 s) or until refused. */
  interface Session {
    inputs: ContaboInstanceInputs;
    bearer: string;
    expiresAt: number;
  }

  async function login(inputs: ContaboInstanceInputs): Promise<Session> {
    const c = inputs.credentials;
    const body = new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, username: c.apiUser, password: c.apiPassword, grant_type: 'password' });
    const response = await send(inputs.authUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, 'token request');
    if (!response.ok) throw new Error(`Contabo API: token request refused (HTTP ${response.status}); check bascule:host.contabo.clientId and the contabo* secrets`);
    const json = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new Error('Contabo API: token response has no access_token');
    // Renewed 30 s before it expires, so that no call starts with a token about to lapse.
    const lifetimeMs = (Number.isFinite(json.expires_in) && json.expires_in! > 0 ? json.expires_in! : 300) * 1_000;
    return { inputs, bearer: json.access_token, expiresAt: Date.now() + lifetimeMs - 30_000 };
  }

  async function call(session: Session, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const inputs = session.inputs;
    const url = `${inputs.apiUrl.replace(/\/+$/, '')}${path}`;
    const acts = method === 'PUT' || method === 'POST';
    for (let renewed = false; ; renewed = true) {
      if (Date.now() >= session.expiresAt) Object.assign(session, await login(inputs));
      const headers: Record<string, string> = { authorization: `Bearer ${session.bearer}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, `${method} ${path}`, acts ? 'acts' : 'safe');
      const text = await response.text();
      // A refused token (expired early, revoked) is renewed once; the call did not run, so it is sent again.
      if (response.status === 401 && !renewed) {
        Object.assign(session, await login(inputs));
        continue;
      }
      if (response.status === 404 && method === 'GET') return { status: 404, json: {} };
      if (!response.ok) throw new Error(`Contabo API: ${method} ${path} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
      return { status: response.status, json: text === '' ? {} : JSON.parse(text) };
    }
  }

  /** The instance, or undefined when Contabo answers 404 (it no longer exists). */
  async function findInstance(session: Session): Promise<ContaboInstance | undefined> {
    const id = session.inputs.instanceId;
    const { status, json } = await call(session, 'GET', `/v1/compute/instances/${id}`);
    if (status === 404) return undefined;
    const instance = (json as { data?: ContaboInstance[] }).data?.[0];
    if (!instance) throw new Error(`Contabo API: instance ${id} not found in the answer`);
    return instance;
  }

  async function getInstance(session: Session): Promise<ContaboInstance> {
    const instance = await findInstance(session);
    if (!instance) throw new Error(`Contabo API: instance ${session.inputs.instanceId} does not exist (HTTP 404); check bascule:host.contabo.instanceId`);
    return instance;
  }

  /** Polls until the status is `status` (or, with `leave`, until it is anything else). */
  async function waitFor(session: Session, status: string, leave = false): Promise<ContaboInstance> {
    const deadline = Date.now() + settings.pollTimeoutMs;
    const id = session.inputs.instanceId;
    for (;;) {
      const instance = await getInstance(session);
      if ((instance.status === status) !== leave) return instance;
      if (instance.status === 'error') throw new Error(`Contabo API: instance ${id} is in status "error"`);
      if (Date.now() > deadline) throw new Error(`Contabo API: instance ${id} ${leave ? 'still' : 'not'} ${status} after ${settings.pollTimeoutMs} ms (status "${instance.status}")`);
      await sleep(settings.pollIntervalMs);
    }
  }

  /** The start or stop action when the power state differs from the wanted one, then a poll until it is reached. */
  async function power(session: Session, instance: ContaboInstance): Promise<ContaboInstance> {
    const inputs = session.inputs;
    const wanted = inputs.powerState ?? 'running';
    const other = wanted === 'running' ? 'stopped' : 'running';
    if (instance.status !== other) return instance;
    await call(session, 'POST', `/v1/compute/instances/${inputs.instanceId}/actions/${wanted === 'running' ? 'start' : 'stop'}`, {});
    return waitFor(session, wanted);
  }

  /** Brings the instance to the inputs: image (if allowed), display name, power state. */
  async function converge(inputs: ContaboInstanceInputs, previous: ContaboInstanceInputs | undefined): Promise<ContaboInstanceOutputs> {
    const session = await login(inputs);
    let instance = await getInstance(session);
    const id = inputs.instanceId;
    const wantsImage = inputs.imageId !== undefined && inputs.imageId !== (previous ? previous.imageId : instance.imageId);
    if (wantsImage) {
      if (!inputs.allowReinstall) {
        throw new Error(`Contabo instance ${id}: imageId changed to "${inputs.imageId}", which reinstalls (wipes) the disk; set bascule:host.contabo.allowReinstall to true to allow it`);
      }
      await call(session, 'PUT', `/v1/compute/instances/${id}`, { imageId: inputs.imageId, sshKeys: inputs.sshKeys, userData: inputs.userData });
      // The instance may still say "running" for a while after the PUT: wait for the reinstall to start,
      // then for it to end (else the old system's "running" would be taken for the new one's).
      if (instance.status === 'running') await waitFor(session, 'running', true);
      instance = await waitFor(session, 'running');
    }
    if (inputs.displayName !== undefined && inputs.displayName !== instance.displayName) {
      await call(session, 'PATCH', `/v1/compute/instances/${id}`, { displayName: inputs.displayName });
      instance = { ...instance, displayName: inputs.displayName };
    }
    instance = await power(session, instance);
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
      const instance = await findInstance(await login(inputs));
      // Gone (cancelled, or deleted in the panel): no state, so a refresh drops the resource.
      if (!instance) return {};
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
      await call(await login(props), 'POST', `/v1/compute/instances/${id}/cancel`, {});
    },
  };
}

export type ContaboProvider = ReturnType<typeof makeContaboProvider>;
