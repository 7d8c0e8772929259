// The tts image's contract: `POST /synthesize` JSON `{text, voice, speed}` → `audio/wav`. An unknown voice
// is a 400 (`unknown_voice`, listing the voices): the client's error, passed through, never retried.
import { resolveSpeechVoice, TTS_DEFAULT_VOICE, TTS_SPEED_RANGE } from '@bascule/contracts';
import { onHost, poolOf } from './hosts.ts';
import { bearer, callUpstream, readBody, UPSTREAM_BODY_LIMITS, UpstreamProtocolError } from './http.ts';
import { wavDurationSeconds } from './wav.ts';
import type { ProviderSettings, SpeechAdapter } from './types.ts';
import { deadlineHeader } from './deadline.ts';

/** The tts image's default French voice (the plan's, gpu-images/tts). */
export const DEFAULT_VOICE = TTS_DEFAULT_VOICE;

/**
 * The public API takes OpenAI's speed range (0.25..4) so OpenAI clients work unchanged, but the image
 * refuses anything outside 0.5..2 (past it Coqui's length scale and the time stretch garble French words
 * for a child). Asking the image with an out-of-range speed would be a 400 the student never caused, so
 * the nearest speed the image can say is sent instead.
 */
export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return 1;
  return Math.min(TTS_SPEED_RANGE.max, Math.max(TTS_SPEED_RANGE.min, speed));
}

/** `default` or an OpenAI voice name → the configured French voice; a plan voice as asked. */
export function coquiVoice(requested: string, configured: string | undefined): string {
  const voice = resolveSpeechVoice(requested);
  return voice === 'default' ? (configured ?? DEFAULT_VOICE) : voice;
}

export function createCoquiAdapter(settings: ProviderSettings): SpeechAdapter {
  const hosts = poolOf(settings);
  const headers = { 'content-type': 'application/json', accept: 'audio/wav', ...bearer(settings.apiKey) };
  return {
    kind: 'speech',
    provider: settings.id,
    async synthesize(input, ctx) {
      const voice = coquiVoice(input.voice, settings.voice);
      const body = JSON.stringify({ text: input.text, voice, speed: clampSpeed(input.speed) });
      const timeoutMs = Math.min(ctx.timeoutMs, settings.timeoutMs);
      // The host's call lasts until the WAV is read: that is what its outstanding count balances.
      const wav = await onHost(hosts, ctx, async (host) => {
        const url = host.url('/synthesize');
        const response = await callUpstream({ method: 'POST', url, dispatcher: host.agent, headers: { ...headers, ...deadlineHeader(timeoutMs) }, body, timeoutMs, signal: ctx.signal, busy: host.service });
        try {
          return await readBody(response.body, UPSTREAM_BODY_LIMITS.audio, url);
        } finally {
          response.done();
        }
      });
      const seconds = wavDurationSeconds(wav);
      if (seconds === null) throw new UpstreamProtocolError('coqui: /synthesize did not answer a WAV file');
      return { value: { kind: 'audio', wav, seconds }, usage: { audioSeconds: seconds, characters: input.text.length } };
    },
  };
}
