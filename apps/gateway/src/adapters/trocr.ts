// The trocr image's contract: `POST /analyze_writing`, multipart `image` + `target_letter` → letters with
// text, confidence and bbox `[x, y, w, h]`, and an analysis (match, advice).
import { TrocrAnalyzeResponseSchema } from '@bascule/contracts';
import { callJson, FormData, joinUrl, UpstreamProtocolError } from './http.ts';
import type { HandwritingAdapter, ProviderSettings } from './types.ts';

export function createTrocrAdapter(settings: ProviderSettings): HandwritingAdapter {
  const url = joinUrl(settings.baseUrl, '/analyze_writing');
  return {
    kind: 'handwriting',
    provider: settings.id,
    async analyze(input, ctx) {
      const form = new FormData();
      form.append('image', new Blob([new Uint8Array(input.data)], { type: input.mimetype }), input.filename);
      form.append('target_letter', input.target);
      const raw = await callJson<unknown>({ method: 'POST', url, body: form, timeoutMs: Math.min(ctx.timeoutMs, settings.timeoutMs), signal: ctx.signal });
      const parsed = TrocrAnalyzeResponseSchema.safeParse(raw);
      if (!parsed.success) throw new UpstreamProtocolError(`trocr: not an /analyze_writing response (${parsed.error.issues[0]?.message})`);
      const { letters, analysis } = parsed.data;
      return {
        value: { text: analysis.recognized, confidence: analysis.confidence, boxes: letters, match: analysis.match, advice: analysis.advice },
        usage: { images: 1 },
      };
    },
  };
}
