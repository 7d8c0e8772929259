// The tts image's contract: `POST /synthesize` JSON `{text, voice, speed}` → `audio/wav`. An unknown voice
// is a 400 (`unknown_voice`, listing the voices): the client's error, passed through, never retried.
import { bearer, callUpstream, joinUrl, UpstreamProtocolError } from './http.ts';
import { wavDurationSeconds } from './wav.ts';
import type { ProviderSettings, SpeechAdapter } from './types.ts';

/** The tts image's default French voice (gpu-images/tts). */
export const DEFAULT_VOICE = 'fr-female-clear';

/** The image accepts 0.5..2; the public API takes OpenAI's 0.25..4. */
const clampSpeed = (speed: number): number => Math.min(2, Math.max(0.5, speed));

export function createCoquiAdapter(settings: ProviderSettings): SpeechAdapter {
  const url = joinUrl(settings.baseUrl, '/synthesize');
  return {
    kind: 'speech',
    provider: settings.id,
    async synthesize(input, ctx) {
      const voice = input.voice === 'default' ? (settings.voice ?? DEFAULT_VOICE) : input.voice;
      const response = await callUpstream({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: 'audio/wav', ...bearer(settings.apiKey) },
        body: JSON.stringify({ text: input.text, voice, speed: clampSpeed(input.speed) }),
        timeoutMs: Math.min(ctx.timeoutMs, settings.timeoutMs),
        signal: ctx.signal,
      });
      let wav: Buffer;
      try {
        wav = Buffer.from(await response.body.arrayBuffer());
      } finally {
        response.done();
      }
      const seconds = wavDurationSeconds(wav);
      if (seconds === null) throw new UpstreamProtocolError('coqui: /synthesize did not answer a WAV file');
      return { value: { kind: 'audio', wav, seconds }, usage: { audioSeconds: seconds, characters: input.text.length } };
    },
  };
}
