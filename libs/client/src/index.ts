// @bascule/client: the reading app's way to the Bascule gateway (browser).
export { createBasculeClient, type BasculeClient, type BasculeClientOptions, type SpeakOptions, type SpeakResult, type TranscribeOptions } from './client.ts';
export { BasculeError, BasculeNetworkError } from './errors.ts';
export { speakInBrowser, playAudio, type BrowserSpeech, type SpeechSynthesisLike } from './speech.ts';
