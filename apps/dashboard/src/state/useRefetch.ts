// Fetch something for a page, again whenever `key` changes; keeps the last good value on error.
import { useEffect, useState } from 'react';

export function useRefetch<T>(load: () => Promise<T>, key: unknown[]): { value: T | null; error: string | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    load().then(
      (v) => {
        if (cancelled) return;
        setValue(v);
        setError(null);
      },
      (e: unknown) => {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
    };
    // The caller names what the fetch depends on.
  }, key);
  return { value, error };
}
