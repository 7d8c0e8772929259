// Routes live in the URL's hash (#/, #/components/stt, #/costs): the gateway serves one static page.
import { useEffect, useState } from 'react';

export type Route = { page: 'overview' } | { page: 'component'; id: string } | { page: 'costs' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'components' && parts[1]) return { page: 'component', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'costs') return { page: 'costs' };
  return { page: 'overview' };
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
