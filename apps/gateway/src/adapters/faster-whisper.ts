// The whisper image's contract (libs/contracts services.ts): `POST /transcribe`, multipart `audio`,
// `language`, optional `initial_prompt` → `{text, language, confidence, segments, latency_ms}`.
import { WhisperTranscribeResponseSchema } from '@bascule/contracts';
import { onHost, poolOf } from './hosts.ts';
import { callJson, FormData, UpstreamProtocolError } from './http.ts';
import { wavDurationSeconds } from './wav.ts';
import type { ProviderSettings, TranscribeAdapter } from './types.ts';
import { deadlineHeader } from './deadline.ts';

export function createFasterWhisperAdapter(settings: ProviderSettings): TranscribeAdapter {
  const hosts = poolOf(settings);
  return {
    kind: 'transcribe',
    provider: settings.id,
    async transcribe(input, ctx) {
      const form = new FormData();
      form.append('audio', new Blob([new Uint8Array(input.data)], { type: input.mimetype }), input.filename);
      form.append('language', input.language);
      if (input.prompt) form.append('initial_prompt', input.prompt);
      const timeoutMs = Math.min(ctx.timeoutMs, settings.timeoutMs);
      const raw = await onHost(hosts, ctx, (host) => callJson<unknown>({ method: 'POST', url: host.url('/transcribe'), dispatcher: host.agent, headers: deadlineHeader(timeoutMs), body: form, timeoutMs, signal: ctx.signal, busy: host.service }));
      const parsed = WhisperTranscribeResponseSchema.safeParse(raw);
      if (!parsed.success) throw new UpstreamProtocolError(`faster-whisper: not a /transcribe response (${parsed.error.issues[0]?.message})`);
      const { text, language, segments, confidence } = parsed.data;
      const duration = wavDurationSeconds(input.data) ?? segments.at(-1)?.end ?? 0;
      return { value: { text: text.trim(), language, duration, segments, confidence }, usage: { audioSeconds: duration } };
    },
  };
}
