// Tolerant readers for JSON of unknown shape: the first of several key names that holds a value of the
// expected type wins. The admin API's schemas live in @bascule/contracts; this keeps the page readable
// while both evolve (a missing field reads as null, never as a crash).

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lookup(obj: unknown, key: string): unknown {
  let current: unknown = obj;
  for (const part of key.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

export function readNumber(obj: unknown, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = lookup(obj, key);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return null;
}

export function readString(obj: unknown, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = lookup(obj, key);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

export function readObject(obj: unknown, ...keys: string[]): Json | null {
  for (const key of keys) {
    const value = lookup(obj, key);
    if (isObject(value)) return value;
  }
  return null;
}

export function readArray(obj: unknown, ...keys: string[]): unknown[] {
  for (const key of keys) {
    const value = lookup(obj, key);
    if (Array.isArray(value)) return value;
  }
  return [];
}
