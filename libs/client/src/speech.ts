// The two ways a word reaches the child's ears: a WAV from the gateway (production, Coqui), or the
// browser's own voice through `speechSynthesis` (the MVP provider, and the fallback when the gateway
// cannot be reached).

/** How the browser should speak: what the gateway's Web Speech directive carries. */
export interface BrowserSpeech {
  text: string;
  lang: string;
  rate: number;
  voice?: string;
}

/** The parts of the Web Speech API the client uses (injectable for tests and non-browser hosts). */
export interface SpeechSynthesisLike {
  speak(utterance: SpeechSynthesisUtterance): void;
  getVoices(): SpeechSynthesisVoice[];
}

/** Prefers the named voice, then any voice of the language, then the browser's default. */
function pickVoice(synthesis: SpeechSynthesisLike, speech: BrowserSpeech): SpeechSynthesisVoice | undefined {
  const voices = synthesis.getVoices();
  return voices.find((v) => v.name === speech.voice) ?? voices.find((v) => v.lang === speech.lang) ?? voices.find((v) => v.lang.startsWith(speech.lang.slice(0, 2)));
}

/** Speaks through the browser; the promise settles when the utterance ends (or errors). */
export function speakInBrowser(synthesis: SpeechSynthesisLike, speech: BrowserSpeech): Promise<void> {
  const utterance = new SpeechSynthesisUtterance(speech.text);
  utterance.lang = speech.lang;
  utterance.rate = speech.rate;
  const voice = pickVoice(synthesis, speech);
  if (voice) utterance.voice = voice;
  const finished = new Promise<void>((resolve, reject) => {
    utterance.onend = () => resolve();
    utterance.onerror = (event) => reject(new Error(`speech synthesis failed: ${event.error}`));
  });
  synthesis.speak(utterance);
  return finished;
}

/** Plays a WAV; resolves once playback started, with a promise of its end. Rejects when the browser
 *  cannot play it (autoplay policy, bad bytes), so the caller can fall back to the browser's voice. */
export async function playAudio(wav: Blob): Promise<{ finished: Promise<void> }> {
  const url = URL.createObjectURL(wav);
  const audio = new Audio(url);
  const finished = new Promise<void>((resolve, reject) => {
    audio.addEventListener('ended', () => resolve(), { once: true });
    audio.addEventListener('error', () => reject(new Error('audio playback failed')), { once: true });
  }).finally(() => URL.revokeObjectURL(url));
  try {
    await audio.play();
  } catch (error) {
    URL.revokeObjectURL(url);
    finished.catch(() => undefined);
    throw error;
  }
  return { finished };
}
