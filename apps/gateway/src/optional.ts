// The request path (src/public, src/metrics) is built beside this composition root; until it lands, the
// gateway still serves its admin and operations endpoints. A module that exists but fails to load is an error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function importIfPresent<T>(relative: string): Promise<T | null> {
  const url = new URL(relative, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  return (await import(/* @vite-ignore */ url.href)) as T;
}
