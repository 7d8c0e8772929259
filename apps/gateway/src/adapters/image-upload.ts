// The handwriting providers we run ourselves (the trocr image, the EasyOCR wrapper) take the child's image
// as one multipart `image` part, next to the route's own text fields, and answer JSON.
import { onHost, type HostPool } from './hosts.ts';
import { callJson, FormData } from './http.ts';
import type { CallContext, ImageInput, ProviderSettings } from './types.ts';

/**
 * POSTs the image (then `fields`, in order) to `path` on one of the provider's hosts within the tighter of the attempt's time left and the
 * provider's own timeout; resolves to the JSON answer, still to be checked against the provider's contract.
 * `headers` (given the call's timeout) adds request headers: the trocr image's deadline.
 */
export function postImage(hosts: HostPool, path: string, input: ImageInput, fields: Record<string, string>, settings: ProviderSettings, ctx: CallContext, headers?: (timeoutMs: number) => Record<string, string>): Promise<unknown> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(input.data)], { type: input.mimetype }), input.filename);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const timeoutMs = Math.min(ctx.timeoutMs, settings.timeoutMs);
  const extra = headers?.(timeoutMs);
  return onHost(hosts, ctx, (host) => callJson<unknown>({ method: 'POST', url: host.url(path), dispatcher: host.agent, body: form, timeoutMs, signal: ctx.signal, busy: host.service, ...(extra ? { headers: extra } : {}) }));
}
