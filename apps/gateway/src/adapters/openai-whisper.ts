// OpenAI's transcriptions API (`POST /v1/audio/transcriptions`, multipart `file` + `model`), asked for
// `verbose_json` so the gateway gets segments and the audio's duration. Billed per audio second.
import { TranscriptionVerboseResponseSchema } from '@bascule/contracts';
import { onHost, poolOf } from './hosts.ts';
import { bearer, callJson, FormData, UpstreamProtocolError } from './http.ts';
import { wavDurationSeconds } from './wav.ts';
import type { ProviderSettings, TranscribeAdapter } from './types.ts';

export function createOpenAiWhisperAdapter(settings: ProviderSettings): TranscribeAdapter {
  const hosts = poolOf(settings);
  const headers = bearer(settings.apiKey);
  return {
    kind: 'transcribe',
    provider: settings.id,
    async transcribe(input, ctx) {
      // A FormData is built per attempt from the buffered bytes: the body can be sent again on fallback.
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(input.data)], { type: input.mimetype }), input.filename);
      form.append('model', settings.model ?? 'whisper-1');
      form.append('language', input.language);
      form.append('response_format', 'verbose_json');
      if (input.prompt) form.append('prompt', input.prompt);
      const timeoutMs = Math.min(ctx.timeoutMs, settings.timeoutMs);
      const raw = await onHost(hosts, ctx, (host) =>
        callJson<unknown>({ method: 'POST', url: host.url('/v1/audio/transcriptions'), dispatcher: host.agent, headers, body: form, timeoutMs, signal: ctx.signal }),
      );
      const parsed = TranscriptionVerboseResponseSchema.safeParse(raw);
      if (!parsed.success) throw new UpstreamProtocolError(`openai-whisper: not a verbose transcription (${parsed.error.issues[0]?.message})`);
      const duration = wavDurationSeconds(input.data) ?? parsed.data.duration;
      return {
        value: { text: parsed.data.text.trim(), language: parsed.data.language, duration, segments: parsed.data.segments },
        usage: { audioSeconds: duration },
      };
    },
  };
}
