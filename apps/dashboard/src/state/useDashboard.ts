// The page's live state: the admin client, the components, the stream's connection state, and a
// revision counter that pages watch to refetch their details when the gateway reports a change.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AdminApiError, createAdminClient, type AdminClient } from '../api/adminClient.ts';
import { openEventStream, type EventStreamHandle } from '../live/eventStream.ts';
import type { ConnectionState } from '../live/reconnect.ts';
import { applyUpdate, interpretMessage } from '../live/streamMessage.ts';
import type { ComponentView } from '../model/types.ts';
import { normalizeComponents } from '../model/normalize.ts';
import type { Json } from '../model/read.ts';
import { forgetToken, loadToken, saveToken, shareToken } from './tokenStore.ts';

export type AuthState = 'checking' | 'needToken' | 'ok';

export interface Dashboard {
  client: AdminClient;
  auth: AuthState;
  components: ComponentView[];
  connection: ConnectionState;
  revision: number;
  loadError: string | null;
  /** A token was given and refused (as opposed to a first visit). */
  hadToken: boolean;
  signIn: (token: string) => void;
  signOut: () => void;
  refresh: () => void;
  /** Apply a component summary the gateway answered to an action, before the stream repeats it. */
  applySummary: (summary: Json) => void;
  retryNow: () => void;
}

const REFRESH_THROTTLE_MS = 500;

export function useDashboard(): Dashboard {
  const [token, setToken] = useState<string | null>(loadToken);
  const [auth, setAuth] = useState<AuthState>('checking');
  const [raw, setRaw] = useState<Json[]>([]);
  const components = useMemo<ComponentView[]>(() => normalizeComponents(raw), [raw]);
  const [connection, setConnection] = useState<ConnectionState>({ kind: 'connecting', attempt: 0 });
  const [revision, setRevision] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [signIns, setSignIns] = useState(0);
  const client = useMemo(() => createAdminClient('', token), [token]);
  const stream = useRef<EventStreamHandle | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setRaw(await client.components());
      setAuth('ok');
      setLoadError(null);
    } catch (error) {
      if (error instanceof AdminApiError && (error.status === 401 || error.status === 403)) setAuth('needToken');
      else setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [client]);

  const refresh = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void load();
      setRevision((r) => r + 1);
    }, REFRESH_THROTTLE_MS);
  }, [load]);

  useEffect(() => {
    void load();
  }, [load, signIns]);

  // Another open tab of the dashboard lends its token to this one (and forgetting it forgets it everywhere).
  useEffect(
    () =>
      shareToken(
        (value) => {
          setAuth('checking');
          setToken(value);
          setSignIns((n) => n + 1);
        },
        () => {
          setToken(null);
          setAuth('needToken');
        },
      ),
    [],
  );

  useEffect(() => {
    if (auth !== 'ok') return;
    let wasLive = false;
    const handle = openEventStream({
      url: client.streamUrl,
      token,
      onState: (state) => {
        setConnection(state);
        if (state.kind === 'unauthorized') setAuth('needToken');
        // Coming back after a gap: whatever happened meanwhile is fetched again.
        if (state.kind === 'live' && wasLive) refresh();
        if (state.kind === 'live') wasLive = true;
      },
      onMessage: (message) => {
        const update = interpretMessage(message);
        if (update.kind === 'changed') return refresh();
        setRaw((current) => applyUpdate(current, update));
        if (update.kind !== 'metrics') setRevision((r) => r + 1);
      },
    });
    stream.current = handle;
    return () => {
      handle.close();
      stream.current = null;
    };
  }, [auth, client, token, refresh]);

  useEffect(() => () => {
    if (pending.current) clearTimeout(pending.current);
  }, []);

  return {
    client,
    auth,
    components,
    connection,
    revision,
    loadError,
    hadToken: token !== null,
    signIn: (value) => {
      saveToken(value);
      setAuth('checking');
      setToken(value);
      setSignIns((n) => n + 1);
    },
    signOut: () => {
      forgetToken();
      setToken(null);
      setAuth('needToken');
    },
    refresh,
    applySummary: (summary) => {
      setRaw((current) => applyUpdate(current, { kind: 'state', component: summary }));
      setRevision((r) => r + 1);
    },
    retryNow: () => stream.current?.retryNow(),
  };
}
