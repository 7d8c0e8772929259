// The MVP of `tts` runs in the browser: no network call, the gateway answers a directive the client
// speaks with `speechSynthesis` (see @bascule/client). Costs nothing.
import type { ProviderSettings, SpeechAdapter } from './types.ts';

export function createWebSpeechAdapter(settings: ProviderSettings): SpeechAdapter {
  return {
    kind: 'speech',
    provider: settings.id,
    async synthesize(input) {
      const voice = input.voice === 'default' ? settings.voice : input.voice;
      return {
        value: { kind: 'directive', directive: { provider: 'web-speech', text: input.text, lang: 'fr-FR', rate: input.speed, ...(voice ? { voice } : {}) } },
        usage: { characters: input.text.length },
      };
    },
  };
}
