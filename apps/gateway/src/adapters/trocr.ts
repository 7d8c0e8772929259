// The trocr image's contract: `POST /analyze_writing`, multipart `image` + `target_letter` → letters with
// text, confidence and bbox `[x, y, w, h]`, and an analysis (match, advice).
import { TrocrAnalyzeResponseSchema } from '@bascule/contracts';
import { poolOf } from './hosts.ts';
import { UpstreamProtocolError } from './http.ts';
import { postImage } from './image-upload.ts';
import type { HandwritingAdapter, ProviderSettings } from './types.ts';
import { deadlineHeader } from './deadline.ts';

export function createTrocrAdapter(settings: ProviderSettings): HandwritingAdapter {
  const hosts = poolOf(settings);
  return {
    kind: 'handwriting',
    provider: settings.id,
    async analyze(input, ctx) {
      const raw = await postImage(hosts, '/analyze_writing', input, { target_letter: input.target }, settings, ctx, deadlineHeader);
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
