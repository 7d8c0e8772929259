// The handwriting providers we run ourselves (the trocr image, the EasyOCR wrapper) take the child's image
// as one multipart `image` part, next to the route's own text fields, and answer JSON.
import { callJson, FormData } from './http.ts';
import type { CallContext, ImageInput, ProviderSettings } from './types.ts';

/**
 * POSTs the image (then `fields`, in order) to `url` within the tighter of the attempt's time left and the
 * provider's own timeout; resolves to the JSON answer, still to be checked against the provider's contract.
 */
export function postImage(url: string, input: ImageInput, fields: Record<string, string>, settings: ProviderSettings, ctx: CallContext): Promise<unknown> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(input.data)], { type: input.mimetype }), input.filename);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return callJson<unknown>({ method: 'POST', url, body: form, timeoutMs: Math.min(ctx.timeoutMs, settings.timeoutMs), signal: ctx.signal });
}
