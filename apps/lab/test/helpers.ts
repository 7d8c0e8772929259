// Shared by the lab's tests: small HTTP calls with timeouts, and an SSE reader.
import { request, FormData } from 'undici';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  bytes: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export async function call(url: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; headers?: Record<string, string>; body?: string | FormData } = {}): Promise<Answer> {
  const response = await request(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: response.statusCode, headers: response.headers, text, bytes, json: <T,>() => JSON.parse(text) as T };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function postForm(url: string, parts: Record<string, string | { data: Buffer; filename: string; type: string }>, headers: Record<string, string> = {}): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.data], { type: value.type }), value.filename);
  }
  return call(url, { method: 'POST', headers, body: form });
}

/** The `data:` payloads of a server-sent event stream, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n'))
    .filter((data) => data.length > 0);
}
