// One JSON POST to an incoming webhook, as every HTTP channel sends it: bounded by the caller's signal, and an
// error for any answer that is not 2xx (with the first bytes of the receiver's explanation, never the URL,
// which holds the channel's credential).
import { request } from 'undici';

export async function postJson(url: string, body: unknown, signal: AbortSignal): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (res.statusCode >= 200 && res.statusCode < 300) {
    await res.body.dump();
    return;
  }
  const text = (await res.body.text()).slice(0, 200);
  throw new Error(`answered ${res.statusCode}${text ? `: ${text}` : ''}`);
}
